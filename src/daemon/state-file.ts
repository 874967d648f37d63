// The process list on disk, rewritten as it changes (atomically: temp file + rename), so a later daemon or
// `resurrect` has the truth even after a crash. Writes are coalesced: a burst of state changes costs one write.
// The previous file is kept as state.json.bak (a hard link: no copy).

import type { StateFile } from '../persist/saved-apps.js';
import { link, rename, unlink, writeFile } from '../runtime/fs-async.js';
import { REPLACE_NOFOLLOW } from '../runtime/private-dir.js';

export type { StateFile } from '../persist/saved-apps.js';

export class StateWriter {
  private scheduled = false;
  /** After final(): nothing may overwrite the clean-shutdown mark. */
  private done = false;
  /** A change that no write started so far has seen. */
  private dirty = false;
  /** The writes in progress (one at a time, see drain), or null when idle. */
  private running: Promise<void> | null = null;
  /** final()'s writes, in order. */
  private finals: Promise<void> = Promise.resolve();
  constructor(
    private readonly file: string,
    private readonly snapshot: () => StateFile,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Marks the state dirty; one write happens after the current burst of events. */
  touch(): void {
    if (this.scheduled || this.done) return;
    this.scheduled = true;
    setImmediate(() => {
      if (!this.scheduled) return; // flushed or finalised meanwhile
      this.scheduled = false;
      this.kick();
    });
  }

  /**
   * One write at a time, and at most one more behind it, whatever the rate of changes: each write takes the
   * snapshot when it starts, so every change made during a write is in the next one. (Queued writes, one per
   * burst, piled up for good under a steady churn: 3000 start/stop/delete cycles left 15,000 pending promises
   * and a daemon still rewriting state.json long after the last change.)
   */
  private kick(): void {
    this.dirty = true;
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.dirty && !this.done) {
        this.dirty = false;
        await this.write().catch(this.onError);
      }
    } finally {
      this.running = null;
    }
  }

  private async write(content: StateFile = this.snapshot()): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    // O_NOFOLLOW: a link in place of the temp file is refused, never written through.
    await writeFile(tmp, JSON.stringify(content), { mode: 0o600, flag: REPLACE_NOFOLLOW });
    // Keep the previous good file: a reader that finds state.json torn or corrupt falls back to it. A hard
    // link, not a rename, so that state.json exists at every instant (a kill between two renames would
    // leave only the .bak).
    const bak = `${this.file}.bak`;
    await unlink(bak).catch(ignoreMissing);
    await link(this.file, bak).catch(ignoreMissing);
    await rename(tmp, this.file);
  }

  /** Waits until every change so far is on disk (the daemon calls this before it exits). */
  async flush(): Promise<void> {
    if (this.scheduled && !this.done) {
      this.scheduled = false;
      this.kick();
    }
    while (this.running) await this.running;
  }

  /** The last write of a daemon: after the one in progress, this exact content (a clean-shutdown or hand-over mark). */
  final(content: StateFile): Promise<void> {
    this.scheduled = false;
    this.done = true;
    // In order, should there be two (a hand-over, then the exit): never two writes of the same file at once.
    this.finals = this.finals.then(async () => {
      while (this.running) await this.running;
      await this.write(content).catch(this.onError);
    });
    return this.finals;
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
