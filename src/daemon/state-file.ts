// The process list on disk, rewritten as it changes (atomically: temp file + rename), so a later daemon or
// `resurrect` has the truth even after a crash. Writes are coalesced: a burst of state changes costs one write.
import { rename, writeFile } from 'node:fs/promises';
import type { AppSpec } from '../config/spec.js';
import type { Supervisor } from '../supervisor/supervisor.js';

export const STATE_FORMAT = 1;

export interface StateFile {
  format: number;
  written_at: number;
  apps: {
    spec: AppSpec;
    units: { id: number; instance: number; wanted: 'up' | 'down'; restarts: number }[];
  }[];
}

export function snapshotState(sup: Supervisor, now: number): StateFile {
  const apps = new Map<AppSpec, StateFile['apps'][number]>();
  for (const unit of sup.all()) {
    let app = apps.get(unit.spec);
    if (!app) {
      app = { spec: unit.spec, units: [] };
      apps.set(unit.spec, app);
    }
    app.units.push({ id: unit.id, instance: unit.instance, wanted: unit.wanted, restarts: unit.restarts });
  }
  return { format: STATE_FORMAT, written_at: now, apps: [...apps.values()] };
}

export class StateWriter {
  private scheduled = false;
  private writing: Promise<void> = Promise.resolve();
  constructor(
    private readonly file: string,
    private readonly snapshot: () => StateFile,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Marks the state dirty; one write happens after the current burst of events. */
  touch(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.writing = this.writing.then(() => this.write()).catch(this.onError);
    });
  }

  private async write(): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.snapshot()), { mode: 0o600 });
    await rename(tmp, this.file);
  }

  /** Waits for pending writes (the daemon calls this before it exits). */
  async flush(): Promise<void> {
    if (this.scheduled) {
      this.scheduled = false;
      this.writing = this.writing.then(() => this.write()).catch(this.onError);
    }
    await this.writing;
  }
}
