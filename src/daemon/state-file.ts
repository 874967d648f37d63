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
  private writing: Promise<void> = Promise.resolve();
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
      this.writing = this.writing.then(() => this.write()).catch(this.onError);
    });
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

  /** Waits for pending writes (the daemon calls this before it exits). */
  async flush(): Promise<void> {
    if (this.scheduled && !this.done) {
      this.scheduled = false;
      this.writing = this.writing.then(() => this.write()).catch(this.onError);
    }
    await this.writing;
  }

  /** The last write of a daemon: after pending ones, this exact content (a clean-shutdown or hand-over mark). */
  async final(content: StateFile): Promise<void> {
    this.scheduled = false;
    this.done = true;
    this.writing = this.writing.then(() => this.write(content)).catch(this.onError);
    await this.writing;
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
