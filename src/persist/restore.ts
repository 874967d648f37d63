// Putting a saved process list back into the supervisor (resurrect, crash recovery, update): the same ids
// when they are free, the same specs (names, env, every option), the same wanted state. Units wanted up are
// returned for the caller to start; stopped ones stay stopped.
import type { Supervisor } from '../supervisor/supervisor.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import type { SavedApp } from './saved-list.js';

export interface RestoreOutcome {
  /** Every unit created, in id order. */
  created: ProcessUnit[];
  /** The created units whose wanted state was up: start them. */
  toStart: ProcessUnit[];
  /** Apps not restored because an app of that name is already there. */
  skipped: { name: string; namespace: string; reason: string }[];
  /** One line per change from the saved list (an id that was taken). */
  notes: string[];
}

export function restoreApps(sup: Supervisor, apps: readonly SavedApp[]): RestoreOutcome {
  const out: RestoreOutcome = { created: [], toStart: [], skipped: [], notes: [] };
  // New ids (for a saved id that is taken) come after every saved id, so they never take another app's.
  const highest = Math.max(-1, ...apps.flatMap((a) => a.units.map((u) => u.id)));
  for (const app of apps) {
    const { spec } = app;
    const running = sup.app(spec.name);
    if (running.length > 0) {
      const ns = running[0]?.spec.namespace;
      out.skipped.push({
        name: spec.name,
        namespace: spec.namespace,
        reason:
          ns === spec.namespace ? 'already running' : `an app of that name already runs in namespace ${ns}`,
      });
      continue;
    }
    // A list saved without units (never the case for tend's own files) gets one per instance.
    const units =
      app.units.length > 0
        ? [...app.units].sort((a, b) => a.instance - b.instance)
        : Array.from({ length: spec.instances }, (_, instance) => ({
            id: -1,
            instance,
            wanted: 'up' as const,
          }));
    for (const saved of units) {
      let id = saved.id;
      if (id < 0 || sup.has(id)) {
        sup.reserveIds(highest + 1);
        id = sup.idCounter;
        if (saved.id >= 0) out.notes.push(`${spec.name}: id ${saved.id} is taken, restored as id ${id}`);
      }
      const [unit] = sup.addUnits(spec, [{ id, instance: saved.instance }]);
      if (!unit) continue;
      out.created.push(unit);
      if (saved.wanted === 'up') out.toStart.push(unit);
    }
  }
  out.created.sort((a, b) => a.id - b.id);
  return out;
}
