// Reading a log file from its end: the last N lines (optionally filtered, optionally up to a byte offset)
// in blocks read backwards, so a 100 MB file costs what its last lines cost. Used by `tend logs` in the CLI
// (synchronous: the CLI has nothing else to do meanwhile). When the live file holds too few lines, the
// newest rotated (uncompressed) files are read on, newest first.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rotatedMatcher } from './rotation-plan.js';

const BLOCK = 64 * 1024;
const NL = 0x0a;

/** What one filtered request of the HTTP API reads of the log files at most (synchronous reads: ~0.4 s). */
export const FILTER_BUDGET = 16 * 1024 * 1024;

/**
 * Each file's share of FILTER_BUDGET (at least 256 KiB): every file is searched back from its end as far as
 * the others, so one big log cannot spend the budget before a small one is read (its verification: a fresh
 * match in a small app's log was missed behind a 60 MB one).
 */
export function filterShare(files: number): number {
  return Math.max(256 * 1024, Math.floor(FILTER_BUDGET / Math.max(1, files)));
}

/** How far back a filtered read searched, for its note: `16 MiB`, `4 MiB`, `256 KiB`. */
export function shownBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`
    : `${Math.round(bytes / 1024)} KiB`;
}

export interface TailOptions {
  /** How many (kept) lines at most; Infinity for all. */
  max: number;
  /** Read up to this byte offset of the file (default: its end). */
  end?: number | null;
  /** The inode the offset refers to: if the live file is another one (rotated since), that file is found. */
  ino?: number | null;
  /** Only lines that pass count. */
  keep?: (line: string) => boolean;
  /** Reading stops at the first line (from the end) for which this holds; that line is not kept. */
  stop?: (line: string) => boolean;
  /**
   * Bytes that may still be read, spent as blocks are read (of the file and its rotated ones, or by every
   * call given the same object); reading stops once it is spent (`exhausted`). A filter that keeps few lines
   * would otherwise read every log file to its start, synchronously (tenth audit: `?grep=` on a 400 MB log
   * blocked the daemon 3 to 5 s). The HTTP API gives each file its own share (filterShare).
   */
  budget?: { bytes: number };
}

export interface TailResult {
  /** Oldest first. */
  lines: string[];
  /** True when `stop` ended the reading (older lines exist but are out of the window). */
  stopped: boolean;
  /** True when the budget ran out before `max` lines were found: older lines were not read. */
  exhausted?: boolean;
}

/** The last lines of `path` (and of its rotated files when it holds too few). Missing files give no lines. */
export function tailLines(path: string, opts: TailOptions): TailResult {
  const found: string[][] = [];
  let wanted = opts.max;
  let first = true;
  for (const file of candidates(path, opts.ino ?? null)) {
    const r = tailOne(file, { ...opts, max: wanted, end: first ? opts.end : null });
    first = false;
    found.push(r.lines);
    wanted -= r.lines.length;
    if (r.stopped) return { lines: found.reverse().flat(), stopped: true };
    if (r.exhausted) return { lines: found.reverse().flat(), stopped: false, exhausted: true };
    if (wanted <= 0) break;
  }
  return { lines: found.reverse().flat(), stopped: false };
}

/** The file itself (or the rotated file that now has inode `ino`), then its rotated files, newest first. */
function candidates(path: string, ino: number | null): string[] {
  const rotated = rotatedFiles(path);
  const live = statSync(path, { throwIfNoEntry: false });
  if (ino === null || live?.ino === ino) return live ? [path, ...rotated] : rotated;
  // Rotated between the daemon's reply and this read: the offset belongs to the renamed file.
  const i = rotated.findIndex((f) => statSync(f, { throwIfNoEntry: false })?.ino === ino);
  return i === -1 ? [path, ...rotated] : rotated.slice(i);
}

function rotatedFiles(path: string): string[] {
  const match = rotatedMatcher(path);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, m: match(name) }))
    .filter((x) => x.m !== null && !x.m.compressed && !x.name.endsWith('.tmp'))
    .sort((a, b) => (a.m!.stamp < b.m!.stamp ? 1 : -1))
    .map((x) => join(dirname(path), x.name));
}

function tailOne(file: string, opts: TailOptions): TailResult {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { lines: [], stopped: false };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { lines: [], stopped: false };
    let pos = Math.min(opts.end ?? st.size, st.size);
    const lines: string[] = [];
    let carry: Buffer = Buffer.alloc(0); // the start of a line whose beginning is in an earlier block
    let lastByte = true; // the very last line may lack its newline
    while (lines.length < opts.max && (pos > 0 || carry.length > 0)) {
      let buf: Buffer;
      if (pos > 0) {
        if (opts.budget && opts.budget.bytes <= 0)
          return { lines: lines.reverse(), stopped: false, exhausted: true };
        const size = Math.min(BLOCK, pos);
        if (opts.budget) opts.budget.bytes -= size;
        const block = Buffer.allocUnsafe(size);
        readFully(fd, block, pos - size);
        pos -= size;
        buf = carry.length > 0 ? Buffer.concat([block, carry]) : block;
      } else buf = carry;
      let end = buf.length;
      if (lastByte) {
        lastByte = false;
        if (end > 0 && buf[end - 1] === NL) end--; // the final newline ends the last line, it starts none
      }
      // Whole lines are those preceded by a newline in this buffer, or at the very start of the file.
      for (;;) {
        const nl = end > 0 ? buf.lastIndexOf(NL, end - 1) : -1;
        if (nl === -1 && pos > 0) break; // its beginning is in the previous block
        let line = buf.toString('utf8', nl + 1, end);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (opts.stop?.(line)) return { lines: lines.reverse(), stopped: true };
        if (!opts.keep || opts.keep(line)) {
          lines.push(line);
          if (lines.length >= opts.max) break;
        }
        if (nl === -1) {
          end = 0;
          break;
        }
        end = nl;
      }
      carry = buf.subarray(0, end);
      if (pos === 0 && end === 0) break;
    }
    return { lines: lines.reverse(), stopped: false };
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, into: Buffer, position: number): void {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) {
      into.fill(0, done);
      return;
    }
    done += n;
  }
}
