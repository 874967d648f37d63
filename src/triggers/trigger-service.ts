// Wiring of the restart triggers (watch, memory limit, cron) to the supervisor. It follows apps, not
// commands: told by the supervisor when an app is added, respecified or deleted (whoever did it: `start`,
// `scale`, the recovery of a saved process list) and by the bus when an instance's state changes, it keeps
// one AppTriggers on each app that has a trigger (`app.policies`), and attaches or detaches them to match.
import type { AppSpec } from '../config/spec.js';
import type { App } from '../supervisor/app.js';
import { type AppTriggerDeps, AppTriggers } from './app-triggers.js';

export class TriggerService {
  private readonly off: (() => void)[] = [];
  private closed = false;

  constructor(private readonly deps: AppTriggerDeps) {
    this.off.push(deps.supervisor.observe((name) => this.sync(name)));
    this.off.push(
      deps.bus.subscribe((e) => {
        if (e.event === 'process.state') this.sync(e.data.name);
      }),
    );
  }

  /**
   * Brings the triggers of app `name` in line with it: its spec, and whether it is wanted up. They are kept
   * on the App (`app.policies`), so a deleted app closes them with itself.
   */
  sync(name: string): void {
    if (this.closed) return;
    const app = this.deps.supervisor.app(name);
    if (!app) return;
    const key = triggerKey(app.spec);
    let entry = triggersOf(app);
    if (entry && triggerKey(entry.spec) !== key) {
      app.policies.delete(POLICY);
      void entry.close();
      entry = undefined;
    }
    if (key === null) return;
    if (!entry) {
      entry = new AppTriggers(app.spec, this.deps);
      app.policies.set(POLICY, entry);
    }
    entry.update(app.wanted === 'up');
  }

  /** Detaches every trigger (the daemon calls this before stopping the processes). */
  async close(): Promise<void> {
    this.closed = true;
    for (const off of this.off) off();
    const all: AppTriggers[] = [];
    for (const app of this.deps.supervisor.apps()) {
      const entry = triggersOf(app);
      if (!entry) continue;
      app.policies.delete(POLICY);
      all.push(entry);
    }
    await Promise.all(all.map((e) => e.close()));
  }
}

const POLICY = 'triggers';

function triggersOf(app: App): AppTriggers | undefined {
  const p = app.policies.get(POLICY);
  return p instanceof AppTriggers ? p : undefined;
}

/** What the triggers of an app depend on; null when it has none. A new key means new triggers. */
function triggerKey(spec: AppSpec): string | null {
  if (!spec.watch && !(spec.max_memory_restart > 0) && !spec.cron_restart) return null;
  return JSON.stringify([
    spec.cwd,
    spec.exec_mode,
    spec.watch,
    spec.ignore_watch,
    spec.watch_delay,
    spec.watch_options,
    spec.max_memory_restart,
    spec.memory_check_interval,
    spec.cron_restart,
    spec.cron_restart_tz,
    spec.out_file,
    spec.err_file,
    spec.log_file,
  ]);
}
