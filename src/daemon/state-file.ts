// The process list on disk, rewritten as it changes (atomically: temp file + rename), so a later daemon or
// `resurrect` has the truth even after a crash. Writes are coalesced: a burst of state changes costs one write.
// The previous file is kept as state.json.bak (a hard link: no copy).

import type { AppSpec } from '../config/spec.js';
import type { UnitRecord } from '../persist/saved-list.js';
import { link, rename, unlink, writeFile } from '../runtime/fs-async.js';
import { REPLACE_NOFOLLOW } from '../runtime/private-dir.js';
import { readProcStat } from '../runtime/proc-stat.js';
import type { Supervisor } from '../supervisor/supervisor.js';

/** 1: apps and units only. 2: adds the processes (pid, start time, group), boot id and shutdown kind. */
export const STATE_FORMAT = 2;

export type { UnitRecord };

export interface StateFile {
  format: number;
  written_at: number;
  /** Format 2: the kernel's boot id when written; pids mean nothing in another boot. */
  boot_id?: string | null;
  daemon_pid?: number;
  /** Format 2: the daemon stopped on purpose (`tend kill`, SIGTERM, `tend update`) and wrote this last. */
  clean?: boolean;
  /** Format 2: the next daemon restores this list (`tend update`'s hand-over). */
  restore?: boolean;
  /** Format 2: the id counter, so ids of deleted apps are not reused by the next daemon either. */
  next_id?: number;
  apps: {
    spec: AppSpec;
    units: UnitRecord[];
  }[];
}

export interface StateMeta {
  boot_id: string | null;
  clean: boolean;
  restore: boolean;
}

export function snapshotState(sup: Supervisor, now: number, meta?: StateMeta): StateFile {
  const apps = new Map<AppSpec, StateFile['apps'][number]>();
  for (const unit of sup.all()) {
    let app = apps.get(unit.spec);
    if (!app) {
      app = { spec: unit.spec, units: [] };
      apps.set(unit.spec, app);
    }
    app.units.push({
      id: unit.id,
      instance: unit.instance,
      wanted: unit.wanted,
      restarts: unit.restarts,
      ...processRecord(unit.pid),
    });
  }
  return {
    format: STATE_FORMAT,
    written_at: now,
    boot_id: meta?.boot_id ?? null,
    daemon_pid: process.pid,
    clean: meta?.clean ?? false,
    restore: meta?.restore ?? false,
    next_id: sup.idCounter,
    apps: [...apps.values()],
  };
}

/** What a later daemon needs to find this process again (and to never mistake a recycled pid for it). */
function processRecord(
  pid: number | null,
): Pick<UnitRecord, 'pid' | 'starttime' | 'pgid' | 'pgid_starttime'> {
  const stat = pid === null ? undefined : readProcStat(pid);
  if (pid === null || stat === undefined)
    return { pid: null, starttime: null, pgid: null, pgid_starttime: null };
  const leader = stat.pgid === pid ? stat : readProcStat(stat.pgid);
  return {
    pid,
    starttime: stat.starttime,
    pgid: stat.pgid,
    pgid_starttime: leader?.starttime ?? null,
  };
}

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
