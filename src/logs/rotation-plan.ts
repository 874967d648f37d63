// The rotation planner: pure decisions, time passed in. Names of rotated files, how many bytes may still be
// written before a size rotation, and which old files to delete (rotation-schedule.ts: when the next
// interval rotation is due). logs/rotation-group.ts carries them out. No dependency: the CLI uses the names.
import { basename, dirname, extname, join } from 'node:path';

const p2 = (n: number) => String(n).padStart(2, '0');

/** `2024-05-01_14-03-07-042`: local time, sortable, unique per millisecond (see nextStamp). */
export function stampOf(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}_` +
    `${p2(d.getHours())}-${p2(d.getMinutes())}-${p2(d.getSeconds())}-${String(d.getMilliseconds()).padStart(3, '0')}`
  );
}

const STAMP = '(\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}-\\d{3})';

/**
 * The time of a rotation: now, but always after the previous one, so two rotations within one millisecond
 * still get two names (a rename onto an existing name would destroy a file).
 */
export function nextStamp(now: number, previous: number | null): number {
  return previous !== null && now <= previous ? previous + 1 : now;
}

/** `/logs/api-out.log` rotated at `stamp` → `/logs/api-out__2024-05-01_14-03-07-042.log`. */
export function rotatedName(path: string, stamp: string): string {
  const ext = extname(path);
  const base = basename(path, ext);
  return join(dirname(path), `${base}__${stamp}${ext}`);
}

export interface RotatedFile {
  /** Absolute path. */
  path: string;
  /** The live file it came from. */
  live: string;
  stamp: string;
  compressed: boolean;
}

/** Recognises a rotated file of `live` among the names of its directory (`.gz` when compressed). */
export function rotatedMatcher(
  live: string,
): (name: string) => { stamp: string; compressed: boolean } | null {
  const ext = extname(live);
  const base = basename(live, ext);
  const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // `.gz.tmp`: a compression in progress, or left by a daemon that died; it ages out with its generation.
  const re = new RegExp(`^${escapeRegExp(base)}__${STAMP}${escapeRegExp(ext)}(\\.gz(?:\\.tmp)?)?$`);
  return (name) => {
    const m = re.exec(name);
    return m ? { stamp: m[1] as string, compressed: m[2] === '.gz' } : null;
  };
}

/**
 * Which rotated files to delete: rotations are generations (the files of one app rotated together share a
 * stamp); the newest `retain` generations are kept. An uncompressed file whose compressed twin exists is a
 * leftover of an interrupted compression, and goes too.
 */
export function planRetention(files: readonly RotatedFile[], retain: number): RotatedFile[] {
  const stamps = [...new Set(files.map((f) => f.stamp))].sort().reverse();
  const kept = new Set(stamps.slice(0, retain));
  const gz = new Set(files.filter((f) => f.compressed).map((f) => f.path));
  return files.filter((f) => !kept.has(f.stamp) || (!f.compressed && gz.has(`${f.path}.gz`)));
}

/**
 * Bytes that may still be appended before the app's live files hold more than maxSize together (0 = no
 * limit: Infinity).
 */
export function roomLeft(maxSize: number, liveBytes: number): number {
  return maxSize > 0 ? Math.max(0, maxSize - liveBytes) : Number.POSITIVE_INFINITY;
}

/**
 * How much of a queued entry fits in `room`: the whole entry, the prefix up to its last newline that fits,
 * or nothing (0). Entries are whole lines, so a rotation never splits a line.
 */
export function fitting(entry: Buffer, room: number): number {
  if (entry.length <= room) return entry.length;
  if (room <= 0) return 0;
  const nl = entry.lastIndexOf(0x0a, room - 1);
  return nl === -1 ? 0 : nl + 1;
}
