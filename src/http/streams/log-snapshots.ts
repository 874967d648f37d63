// The recent lines a log stream started with, kept a while so that a client cut off in the middle of them
// can resume with Last-Event-ID: each recent line has its own id (ids reserved at the seam, the last line
// taking the seam itself, so live lines follow above it), and a resume from one of them gets the lines of
// that snapshot after it, then the live lines after the seam from the ring. The recent lines come from the
// files and are no ring's: without this, an id inside them could only be answered by skipping or repeating.
// Bounded by bytes and by count; a snapshot whose lines were let go keeps its range (two numbers), so an
// id inside it is known to need a fresh start (a `reset`), and its last id still resumes from the ring.

export interface SnapshotLine<L> {
  seq: number;
  line: L;
}

interface Snapshot<L> {
  /** The ids of its lines: first..last (last is the seam). */
  first: number;
  last: number;
  /** Null once let go (bytes or count): only the range is kept. */
  lines: SnapshotLine<L>[] | null;
  bytes: number;
}

export type SnapshotResume<L> =
  /** `last` is an id of a kept snapshot: its lines after `last`, then the ring's lines after `seam`. */
  | { kind: 'lines'; lines: SnapshotLine<L>[]; seam: number }
  /** `last` is inside a snapshot whose lines were let go: only a fresh start is right. */
  | { kind: 'gone' }
  /** `last` is no snapshot's id (a live line's, or unknown): the ring decides. */
  | { kind: 'none' };

export class LogSnapshots<L> {
  private list: Snapshot<L>[] = [];
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxCount: number,
  ) {}

  /** Keeps the recent lines a client was sent (ids ascending, the last one the seam). */
  add(lines: readonly SnapshotLine<L>[], bytes: number): void {
    const first = lines[0];
    const last = lines.at(-1);
    if (first === undefined || last === undefined) return;
    this.list.push({ first: first.seq, last: last.seq, lines: [...lines], bytes });
    this.bytes += bytes;
    for (const s of this.list) {
      if (this.bytes <= this.maxBytes) break;
      if (s.lines === null) continue;
      this.bytes -= s.bytes;
      s.lines = null;
    }
    if (this.list.length > this.maxCount) {
      for (const s of this.list.splice(0, this.list.length - this.maxCount))
        if (s.lines !== null) this.bytes -= s.bytes;
    }
  }

  /** Forgets the snapshots that end before `floor` (the ring cannot continue after them any more). */
  prune(floor: number): void {
    while (this.list.length > 0 && (this.list[0] as Snapshot<L>).last < floor) {
      const s = this.list.shift() as Snapshot<L>;
      if (s.lines !== null) this.bytes -= s.bytes;
    }
  }

  resume(last: number): SnapshotResume<L> {
    const s = this.list.find((x) => x.first <= last && last <= x.last);
    if (s === undefined) return { kind: 'none' };
    if (last === s.last) return { kind: 'lines', lines: [], seam: s.last };
    if (s.lines === null) return { kind: 'gone' };
    return { kind: 'lines', lines: s.lines.filter((l) => l.seq > last), seam: s.last };
  }

  clear(): void {
    this.list = [];
    this.bytes = 0;
  }

  /** Snapshots known, and bytes of lines kept (tests). */
  get size(): { snapshots: number; bytes: number } {
    return { snapshots: this.list.length, bytes: this.bytes };
  }
}
