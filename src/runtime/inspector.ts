// The real Inspector: cpu and memory of supervised pids, from /proc (no `ps` fork per sample).
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { Inspector, Usage } from '../supervisor/ports.js';
import { isGone, readProcStat } from './proc-stat.js';

// /proc reports cpu times and starttime in clock ticks of sysconf(_SC_CLK_TCK). Node cannot call sysconf;
// the value is USER_HZ, part of the user ABI and independent of the kernel's internal HZ: 100 on x86, arm,
// arm64, ppc, s390 and riscv (the Linux default). 100 is assumed.
const CLK_TCK = 100;

interface Previous {
  /** Identifies the process: if the pid was recycled, the old sample says nothing about the new one. */
  starttime: number;
  cpuTicks: number;
  /** Seconds, same origin as starttime (boot) so the first sample and the later ones are comparable. */
  at: number;
}

export function createInspector(): Inspector {
  const pageSize = readPageSize();
  let previous = new Map<number, Previous>();

  return {
    sample(pids: readonly number[]): Map<number, Usage> {
      const result = new Map<number, Usage>();
      const next = new Map<number, Previous>();
      const now = readUptime();
      for (const pid of pids) {
        const stat = readProcStat(pid);
        if (stat === undefined || isGone(stat)) continue;
        const memory = readResidentPages(pid) * pageSize;
        const cpuTicks = stat.utime + stat.stime;
        const before = previous.get(pid);
        // First sample of this process: average since it started.
        const since =
          before !== undefined && before.starttime === stat.starttime
            ? before
            : { cpuTicks: 0, at: stat.starttime / CLK_TCK };
        const wall = now - since.at;
        const cpu = wall > 0 ? ((cpuTicks - since.cpuTicks) / CLK_TCK / wall) * 100 : 0;
        // Rounded to 0.1: tick granularity makes more digits noise.
        result.set(pid, { cpu: Math.max(0, Math.round(cpu * 10) / 10), memory });
        // /proc/uptime has 10 ms resolution: two samples inside one step measure nothing, so the older
        // baseline is kept and the next sample averages over the whole interval.
        next.set(
          pid,
          wall > 0
            ? { starttime: stat.starttime, cpuTicks, at: now }
            : { ...since, starttime: stat.starttime },
        );
      }
      // Pids not asked for this time are forgotten: the map never grows with processes long gone.
      previous = next;
      return result;
    },
  };
}

/** Seconds since boot, from /proc/uptime; the clock that starttime is measured on. */
function readUptime(): number {
  try {
    return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN; // then every cpu is reported as 0 (wall > 0 is false), memory still works
  }
}

/** Field 2 of /proc/<pid>/statm: resident set size in pages. 0 if unreadable (it just exited). */
function readResidentPages(pid: number): number {
  try {
    const resident = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(resident) ? resident : 0;
  } catch {
    return 0;
  }
}

/**
 * statm counts pages, whose size is 4 KiB on x86-64 but 16 or 64 KiB on some arm64 and ppc64 kernels.
 * Node has no sysconf(_SC_PAGESIZE); the first mapping in /proc/self/smaps states it (KernelPageSize), and
 * the first 4 KiB of the file always hold that line. 4096 if it cannot be read.
 */
function readPageSize(): number {
  let fd: number | undefined;
  try {
    fd = openSync('/proc/self/smaps', 'r');
    const buffer = Buffer.alloc(4096);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const match = /KernelPageSize:\s+(\d+) kB/.exec(buffer.toString('utf8', 0, length));
    return match?.[1] !== undefined ? Number(match[1]) * 1024 : 4096;
  } catch {
    return 4096;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
