// The lines a LogWriter has accepted and not yet handed to the OS, in arrival order, with their byte count.
// Apart from the writer because choosing the next batch is a computation on the queue alone: as many whole
// lines as the rotation budget allows, an entry split only after a newline, so no line is ever cut across two
// files. The writer decides when to write, and what to do when nothing fits (rotate, or write a line longer
// than the budget alone); it owns the file, the flow control and the live stream.
import { fitting } from './rotation-plan.js';

/** A queued piece of output: complete lines, plus whatever the writer keeps with them. */
export interface Queued {
  buf: Buffer;
}

export class WriteQueue<E extends Queued> {
  private entries: E[] = [];
  private total = 0;

  /** Bytes queued. */
  get bytes(): number {
    return this.total;
  }

  /** Entries queued. */
  get length(): number {
    return this.entries.length;
  }

  push(entry: E): void {
    this.entries.push(entry);
    this.total += entry.buf.length;
  }

  /** Removes and returns everything queued. */
  takeAll(): E[] {
    const all = this.entries;
    this.entries = [];
    this.total = 0;
    return all;
  }

  /** Drops everything queued. */
  clear(): void {
    this.entries = [];
    this.total = 0;
  }

  /**
   * Removes and returns as many whole lines as fit in `room` bytes (all of them when room is infinite),
   * splitting an entry after a newline if only part of it fits. Empty, and nothing removed, when not even the
   * first line fits.
   */
  take(room: number): E[] {
    let used = 0;
    let count = 0;
    for (; count < this.entries.length; count++) {
      const e = this.entries[count] as E;
      const n = fitting(e.buf, room - used);
      if (n === e.buf.length) {
        used += n;
        continue;
      }
      if (n > 0) this.split(count++, n);
      break;
    }
    return count === 0 ? [] : this.remove(count);
  }

  /** Removes and returns the first line alone, however long (one longer than the whole budget, say). */
  takeFirstLine(): E[] {
    const first = this.entries[0] as E;
    const nl = first.buf.indexOf(0x0a);
    if (nl + 1 < first.buf.length) this.split(0, nl + 1);
    return this.remove(1);
  }

  private remove(count: number): E[] {
    const all = count === this.entries.length;
    const batch = all ? this.entries : this.entries.slice(0, count);
    this.entries = all ? [] : this.entries.slice(count);
    for (const e of batch) this.total -= e.buf.length;
    return batch;
  }

  private split(index: number, at: number): void {
    const e = this.entries[index] as E;
    this.entries.splice(index, 1, { ...e, buf: e.buf.subarray(0, at) }, { ...e, buf: e.buf.subarray(at) });
  }
}

/** What a short write left of a batch: the bytes that form whole lines, and the lines lost per entry. */
export interface ShortWrite<E> {
  /** Bytes from the start of the batch up to the end of the last whole line written. */
  kept: number;
  /** Entries with lines that did not reach the file (whole, or cut and to be removed), and how many. */
  lost: { entry: E; lines: number }[];
}

/**
 * Splits a batch of whole lines at `written` bytes, the count a write reported (0 when it failed). A line cut
 * by the short write counts as lost: its fragment is truncated away, so the file holds whole lines only.
 */
export function afterShortWrite<E extends Queued>(batch: readonly E[], written: number): ShortWrite<E> {
  let start = 0;
  let kept = 0;
  const lost: { entry: E; lines: number }[] = [];
  for (const entry of batch) {
    const end = start + entry.buf.length;
    // The part of this entry that reached the file, cut back to its last newline.
    const reached = Math.max(0, Math.min(written, end) - start);
    const whole = reached === 0 ? 0 : entry.buf.lastIndexOf(0x0a, reached - 1) + 1;
    if (start + whole > kept && whole > 0) kept = start + whole;
    const lines = countLines(entry.buf.subarray(whole));
    if (lines > 0) lost.push({ entry, lines });
    start = end;
  }
  return { kept, lost };
}

/** Lines in a piece of output (a last line without its newline counts). */
export function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) n++;
  return buf.length > 0 && buf[buf.length - 1] !== 0x0a ? n + 1 : n;
}
