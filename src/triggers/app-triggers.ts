// The triggers of one app: its watcher and memory sampler run while the app is wanted up; its cron schedule
// runs as long as the app exists (a stopped app is started by it). TriggerService creates one per app
// whose spec has a trigger and tells it when the app's wanted state changes.
import type { AppSpec } from '../config/spec.js';
import type { EventBus } from '../supervisor/event-bus.js';
import type { Clock, TreeMemory } from '../supervisor/ports.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { TriggerReason } from '../supervisor/trigger-tally.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import { CronTrigger } from './cron.js';
import { MemoryLimit } from './memory-limit.js';
import { restartGracefully } from './restart.js';
import { type OpenWatcher, WatchTrigger } from './watch.js';

export interface AppTriggerDeps {
  supervisor: Supervisor;
  bus: EventBus;
  clock: Clock;
  openWatcher: OpenWatcher;
  memory: TreeMemory;
  home: string;
  log(line: string): void;
}

export class AppTriggers {
  private watch: WatchTrigger | null = null;
  private memory: MemoryLimit | null = null;
  private cron: CronTrigger | null = null;
  private watching = false;
  private nextCronAt: number | null = null;
  /** A trigger's restart in progress: another one waits for it (one at a time per app). */
  private busy: Promise<void> | null = null;
  private pending: (() => Promise<void>) | null = null;
  private closed = false;

  constructor(
    readonly spec: AppSpec,
    private readonly deps: AppTriggerDeps,
  ) {
    if (spec.cron_restart) {
      this.cron = new CronTrigger(spec, {
        clock: deps.clock,
        log: deps.log,
        onFire: () => this.cronFired(),
        onNext: (at) => {
          this.nextCronAt = at;
          this.publishStatus();
        },
      });
      this.cron.start();
    }
  }

  private units(): ProcessUnit[] {
    return this.deps.supervisor.app(this.spec.name)?.units() ?? [];
  }

  /** The app is wanted up (some instance is) or not: watch and memory run only while it is. */
  update(up: boolean): void {
    if (this.closed) return;
    const { spec, deps } = this;
    if (up && spec.watch && !this.watch) {
      const watch = new WatchTrigger(spec, {
        clock: deps.clock,
        open: deps.openWatcher,
        home: deps.home,
        log: deps.log,
        onStatus: (watching) => this.watchStatus(watch, watching),
        onChange: (file, count) => {
          const more = count > 1 ? ` (and ${count - 1} more)` : '';
          this.restart('watch', `${file} changed${more}`, (u) => u.wanted === 'up');
        },
      });
      this.watch = watch;
      watch.start();
    } else if (!up && this.watch) {
      void this.watch.close();
      this.watch = null;
    }
    if (up && spec.max_memory_restart > 0 && !this.memory) {
      this.memory = new MemoryLimit(spec, {
        clock: deps.clock,
        probe: deps.memory,
        units: () => this.units(),
        onExceeded: (unit, rss) => {
          const detail = `memory ${mib(rss)} above max_memory_restart ${mib(spec.max_memory_restart)}`;
          // A restart already underway (this one's, or a watch's) will bring a fresh process.
          if (!this.busy) this.restart('memory', detail, (u) => u === unit);
        },
      });
      this.memory.start();
    } else if (!up && this.memory) {
      this.memory.close();
      this.memory = null;
    }
    this.publishStatus();
  }

  private watchStatus(watch: WatchTrigger, watching: boolean): void {
    this.deps.bus.publish('app.watch', { name: this.spec.name, watching, paths: [...watch.paths] });
    // A watcher closed after a newer one started (or after these triggers were replaced) must not clear
    // the newer one's status.
    if (this.closed || (!watching && this.watch !== null && this.watch !== watch)) return;
    this.watching = watching;
    this.publishStatus();
  }

  /** The triggers' status, on every instance's snapshot (jlist `watching`, `next_cron_at`). */
  publishStatus(): void {
    for (const u of this.units()) {
      u.triggers.watching = this.watching;
      u.triggers.nextCronAt = this.nextCronAt;
    }
  }

  /** Online instances are restarted (cluster: reloaded), stopped ones are started (PM2's behaviour). */
  private cronFired(): void {
    const detail = `cron_restart "${this.spec.cron_restart}"`;
    const down = this.units().filter((u) => u.wanted === 'down');
    for (const u of down) u.noteTrigger('cron', `${detail}: starting`);
    if (down.length > 0) void this.deps.supervisor.start(down, false);
    this.restart('cron', detail, (u) => u.wanted === 'up' && !down.includes(u));
  }

  private restart(reason: TriggerReason, detail: string, which: (u: ProcessUnit) => boolean): void {
    const run = async () => {
      const units = this.units().filter(which);
      if (units.length > 0 && !this.closed) await restartGracefully(units, reason, detail, this.deps);
    };
    if (this.busy) {
      // The latest request wins: one more restart once the current one is over.
      this.pending = run;
      return;
    }
    const loop = async () => {
      for (let next: (() => Promise<void>) | null = run; next; next = this.pending) {
        this.pending = null;
        await next().catch((err) =>
          this.deps.log(`${this.spec.name} ${reason} restart failed: ${String(err)}`),
        );
      }
      this.busy = null;
    };
    this.busy = loop();
  }

  /** Synchronously detached (a replacement may publish its status at once); the watcher closes after. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending = null;
    this.cron?.close();
    this.memory?.close();
    this.watching = false;
    this.nextCronAt = null;
    this.publishStatus();
    const watch = this.watch;
    this.watch = null;
    await watch?.close();
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
