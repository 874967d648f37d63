// What the kernel says about a process: /proc/<pid>/status (VmRSS) and /proc/<pid>/stat (CPU ticks, state).
// Linux only, like the rest of the bench.
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat times; 100 on every Linux that Node supports. */
const CLK_TCK = 100;

export const MiB = 1024 * 1024;

/** Resident set size in bytes, or null when the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** RSS in MiB of a process that must be alive (a scenario measuring a dead process is a bug). */
export function rssMiB(pid: number): number {
  const b = rssBytes(pid);
  if (b === null) throw new Error(`process ${pid} is gone: cannot read its RSS`);
  return b / MiB;
}

/** CPU seconds of a process that must be alive. */
export function mustCpuSeconds(pid: number): number {
  const s = cpuSeconds(pid);
  if (s === null) throw new Error(`process ${pid} is gone: cannot read its CPU time`);
  return s;
}

function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** User + system CPU seconds the process has used so far, or null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  const f = statFields(pid);
  // After the name: state(0) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(11) stime(12)
  if (!f) return null;
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/** True while the process exists and is not a zombie (a zombie has exited; only its parent's wait is due). */
export function isAlive(pid: number): boolean {
  const f = statFields(pid);
  return f !== null && f[0] !== 'Z' && f[0] !== 'X';
}

/**
 * Sends SIGKILL to one process we started (and to its process group when it leads one: tend starts each app
 * in its own group). By id only: the bench never kills by name.
 */
export function killPid(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // gone already, or not a group leader
    }
  }
}
