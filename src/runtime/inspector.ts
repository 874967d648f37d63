// The real Inspector: cpu and memory of supervised pids, from /proc (no `ps` fork per sample).
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { Inspector, Usage } from '../supervisor/ports.js';
import { isGone, readProcStat } from './proc-stat.js';

// /proc reports cpu times and starttime in clock ticks of sysconf(_SC_CLK_TCK). Node cannot call sysconf;
// the value is USER_HZ, part of the user ABI and independent of the kernel's internal HZ: 100 on x86, arm,
// arm64, ppc, s390 and riscv (the Linux default). 100 is assumed.
const CLK_TCK = 100;

/**
 * CPU is measured over a window of at least this long: the readers (`list`, `monit`, the memory limit, the
 * metrics) share one sample history, so how many read, and how often, changes nothing in what they get.
 */
const WINDOW_S = 1;
/** A process not asked about for this long is forgotten (it exited, or nobody looks at it). */
const FORGET_S = 60;

interface Sample {
  /** Seconds, same origin as starttime (boot) so the first sample and the later ones are comparable. */
  at: number;
  cpuTicks: number;
}

interface Track {
  /** Identifies the process: if the pid was recycled, the old samples say nothing about the new one. */
  starttime: number;
  /** Oldest first: the newest sample at least WINDOW_S old (or the process's start), then younger ones. */
  samples: Sample[];
  seen: number;
}

export function createInspector(): Inspector {
  // Read at the first sample, not at start-up: tend-runtime creates its inspector before it spawns the apps.
  let pageSize: number | undefined;
  const tracks = new Map<number, Track>();

  return {
    sample(pids: readonly number[]): Map<number, Usage> {
      const result = new Map<number, Usage>();
      const now = readUptime();
      for (const pid of pids) {
        const stat = readProcStat(pid);
        if (stat === undefined || isGone(stat)) continue;
        pageSize ??= readPageSize();
        const memory = readResidentPages(pid) * pageSize;
        const cpuTicks = stat.utime + stat.stime;
        let track = tracks.get(pid);
        if (track === undefined || track.starttime !== stat.starttime) {
          // A new process: until it has run a window, its average since it started.
          track = {
            starttime: stat.starttime,
            samples: [{ at: stat.starttime / CLK_TCK, cpuTicks: 0 }],
            seen: now,
          };
          tracks.set(pid, track);
        }
        track.seen = now;
        const ref = reference(track.samples, now);
        const wall = now - ref.at;
        const cpu = wall > 0 ? ((cpuTicks - ref.cpuTicks) / CLK_TCK / wall) * 100 : 0;
        // Rounded to 0.1: tick granularity makes more digits noise.
        result.set(pid, { cpu: Math.max(0, Math.round(cpu * 10) / 10), memory });
        // /proc/uptime has 10 ms resolution: a sample in the same step as the last one adds nothing.
        const last = track.samples.at(-1);
        if (last === undefined || now > last.at) track.samples.push({ at: now, cpuTicks });
        track.samples = track.samples.slice(track.samples.indexOf(reference(track.samples, now)));
      }
      for (const [pid, track] of tracks) if (now - track.seen > FORGET_S) tracks.delete(pid);
      return result;
    },
  };
}

/** The newest sample at least a window old, else the oldest there is (a process younger than a window). */
function reference(samples: readonly Sample[], now: number): Sample {
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i] as Sample;
    if (now - s.at >= WINDOW_S) return s;
  }
  return samples[0] as Sample;
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
export function readPageSize(): number {
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
