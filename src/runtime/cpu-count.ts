// How many CPUs `instances: 'max'` (and -1, -2…) means (issue 15): the cgroup's CPU quota when there is one,
// else os.availableParallelism(). In a container limited to 2 CPUs on a 64-core node, 'max' is 2, not 64.
//
// The quota is cgroup v2's cpu.max (`150000 100000`: 1.5 CPUs; `max 100000`: none) or cgroup v1's
// cpu.cfs_quota_us / cpu.cfs_period_us (-1: none), read for this process's own cgroup (/proc/self/cgroup)
// and every ancestor up to the mount's root (a parent's limit binds its children too), the smallest wins.
// In a container, /proc/self/cgroup may name a path the container's mount does not have (cgroup v1 without a
// cgroup namespace: `/docker/<id>`, mounted as the root): the mount's root is read then.
//
// Rounded DOWN, at least 1: 1.5 CPUs run one worker, not two. The same rounding as Node's own
// availableParallelism() where its libuv reads the quota (1.49+), Rust's available_parallelism() and Go's
// automaxprocs: two busy workers on 1.5 CPUs are both throttled at the end of every CFS period (latency
// spikes), and a Node process needs CPU besides its main thread (GC, libuv's pool). Never above
// availableParallelism() (the CPUs this process may run on, its affinity mask).
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

export interface CpuCountOptions {
  /** Prefix of /proc and /sys (tests point it at fake files). */
  root?: string;
  /** The CPUs this process may run on (default os.availableParallelism()). */
  available?: number;
}

/** The CPUs `instances: 'max'` counts: the cgroup quota rounded down (at least 1), never above `available`. */
export function cpuCount(opts: CpuCountOptions = {}): number {
  const available = Math.max(1, opts.available ?? availableParallelism());
  const quota = cgroupCpuQuota(opts.root ?? '/');
  if (quota === null) return available;
  return Math.min(available, Math.max(1, Math.floor(quota)));
}

/** The cgroup CPU quota in CPUs (1.5 for `150000 100000`), or null when there is none (or no cgroup files). */
export function cgroupCpuQuota(root = '/'): number | null {
  const own = read(join(root, 'proc/self/cgroup'));
  const v2 = cgroupV2Path(own);
  if (v2 !== null || exists(join(root, 'sys/fs/cgroup/cgroup.controllers'))) {
    const q = smallest(join(root, 'sys/fs/cgroup'), v2 ?? '/', (dir) =>
      parseCpuMax(read(join(dir, 'cpu.max'))),
    );
    if (q !== null) return q;
  }
  for (const mount of ['sys/fs/cgroup/cpu', 'sys/fs/cgroup/cpu,cpuacct', 'sys/fs/cgroup/cpuacct,cpu']) {
    const base = join(root, mount);
    if (!exists(join(base, 'cpu.cfs_quota_us'))) continue;
    return smallest(base, cgroupV1Path(own) ?? '/', (dir) =>
      parseCfs(read(join(dir, 'cpu.cfs_quota_us')), read(join(dir, 'cpu.cfs_period_us'))),
    );
  }
  return null;
}

/** `max 100000` → null; `150000 100000` → 1.5; anything else (missing, garbage) → null. */
export function parseCpuMax(text: string | null): number | null {
  const m = text === null ? null : /^(\d+|max)\s+(\d+)\s*$/.exec(text.trim());
  if (!m || m[1] === 'max') return null;
  const quota = Number(m[1]);
  const period = Number(m[2]);
  return quota > 0 && period > 0 ? quota / period : null;
}

/** cgroup v1: quota -1 is none. */
export function parseCfs(quotaText: string | null, periodText: string | null): number | null {
  const quota = Number(quotaText?.trim() ?? Number.NaN);
  const period = Number(periodText?.trim() ?? Number.NaN);
  if (!Number.isInteger(quota) || !Number.isInteger(period) || quota <= 0 || period <= 0) return null;
  return quota / period;
}

/** The unified hierarchy's line `0::/some/path` of /proc/self/cgroup. */
function cgroupV2Path(text: string | null): string | null {
  const line = text?.split('\n').find((l) => l.startsWith('0::'));
  return line ? line.slice(3) || '/' : null;
}

/** cgroup v1: the line whose controllers include `cpu` (`4:cpu,cpuacct:/docker/abc`). */
function cgroupV1Path(text: string | null): string | null {
  for (const line of text?.split('\n') ?? []) {
    const [, controllers, path] = line.split(':');
    if (controllers?.split(',').includes('cpu') && path) return path;
  }
  return null;
}

/**
 * The smallest quota from `path` up to the mount's root. When the path is not under the mount (a container
 * without a cgroup namespace sees its host path), only the root counts: it is the container's own cgroup.
 */
function smallest(mount: string, path: string, quotaOf: (dir: string) => number | null): number | null {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  if (!exists(join(mount, ...parts))) parts.length = 0;
  let best: number | null = null;
  for (let n = parts.length; n >= 0; n--) {
    const q = quotaOf(join(mount, ...parts.slice(0, n)));
    if (q !== null && (best === null || q < best)) best = q;
  }
  return best;
}

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function exists(path: string): boolean {
  return existsSync(path);
}
