// The saved list, per app, both ways: what the supervisor's apps become on disk (state.json as it changes,
// dump.json on `save`, the hand-over of `tend update`), and how a saved list is put back (resurrect, crash
// recovery, update). One entry per app: its spec, and each instance with its id, instance number, wanted
// state, restart count and (state.json only) its process, so every instance comes back as it was.
import type { AppSpec } from '../config/spec.js';
import { readProcStat } from '../runtime/proc-stat.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import { LIST_FORMAT } from './list-format.js';
import type { SavedApp, UnitRecord } from './saved-list.js';

export interface StateFile {
  format: number;
  written_at: number;
  /** The kernel's boot id when written; pids mean nothing in another boot. */
  boot_id?: string | null;
  daemon_pid?: number;
  /** The daemon stopped on purpose (`tend kill`, SIGTERM, `tend update`) and wrote this last. */
  clean?: boolean;
  /** The next daemon restores this list (`tend update`'s hand-over). */
  restore?: boolean;
  /** The id counter, so ids of deleted apps are not reused by the next daemon either. */
  next_id?: number;
  apps: { spec: AppSpec; units: UnitRecord[] }[];
}

export interface StateMeta {
  boot_id: string | null;
  clean: boolean;
  restore: boolean;
}

/** The supervisor's apps as a saved list, with each instance's process (state.json). */
export function snapshotApps(sup: Supervisor, now: number, meta?: StateMeta): StateFile {
  return {
    format: LIST_FORMAT,
    written_at: now,
    boot_id: meta?.boot_id ?? null,
    daemon_pid: process.pid,
    clean: meta?.clean ?? false,
    restore: meta?.restore ?? false,
    next_id: sup.idCounter,
    apps: sup.apps().map((app) => ({
      spec: app.spec,
      units: app.units().map((u) => ({
        id: u.id,
        instance: u.instance,
        wanted: u.wanted,
        restarts: u.restarts,
        ...processRecord(u.pid),
      })),
    })),
  };
}

/** The same list for another boot (dump.json): the processes of this one mean nothing there. */
export function withoutProcesses(list: StateFile): StateFile {
  return {
    ...list,
    clean: true,
    restore: false,
    apps: list.apps.map((a) => ({
      spec: a.spec,
      units: a.units.map(({ id, instance, wanted, restarts }) => ({ id, instance, wanted, restarts })),
    })),
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
  return { pid, starttime: stat.starttime, pgid: stat.pgid, pgid_starttime: leader?.starttime ?? null };
}

export interface RestoreOutcome {
  /** Every instance created, in id order. */
  created: ProcessUnit[];
  /** Instances to start: created ones wanted up, and stopped instances of an existing app saved as up. */
  toStart: ProcessUnit[];
  /** Apps left as they are: already running, or an app of that name in another namespace. */
  skipped: { name: string; namespace: string; reason: string }[];
  /** One line per change from the saved list (an id that was taken, an instance that was started). */
  notes: string[];
}

/**
 * Puts saved apps back: the same ids when they are free, the same specs (names, env, every option), the
 * same wanted state and restart counts. An app that exists already keeps its spec and ids; its instances
 * saved as up that are stopped now are started ("bring back what was saved"), and it is reported as
 * skipped only when there was nothing to start.
 */
export function restoreApps(sup: Supervisor, apps: readonly SavedApp[]): RestoreOutcome {
  const out: RestoreOutcome = { created: [], toStart: [], skipped: [], notes: [] };
  // New ids (for a saved id that is taken) come after every saved id, so they never take another app's.
  const highest = Math.max(-1, ...apps.flatMap((a) => a.units.map((u) => u.id)));
  for (const saved of apps) {
    const { spec } = saved;
    const existing = sup.app(spec.name);
    if (existing) {
      if (existing.spec.namespace !== spec.namespace) {
        const reason = `an app of that name already runs in namespace ${existing.spec.namespace}`;
        out.skipped.push({ name: spec.name, namespace: spec.namespace, reason });
        continue;
      }
      const wantedUp = new Set(saved.units.filter((u) => u.wanted === 'up').map((u) => u.instance));
      const down = existing
        .units()
        .filter((u) => wantedUp.has(u.instance) && (u.wanted === 'down' || u.status === 'errored'));
      if (down.length === 0) {
        const what = existing.wanted === 'up' ? 'already running' : 'already there, stopped as saved';
        out.skipped.push({ name: spec.name, namespace: spec.namespace, reason: what });
        continue;
      }
      out.toStart.push(...down);
      out.notes.push(
        `${spec.name}: exists; started its stopped instance(s) ${down.map((u) => u.id).join(', ')}`,
      );
      continue;
    }
    // A list saved without instances (never the case for tend's own files) gets one per instance.
    const units: UnitRecord[] =
      saved.units.length > 0
        ? [...saved.units].sort((a, b) => a.instance - b.instance)
        : Array.from({ length: spec.instances }, (_, instance) => ({
            id: -1,
            instance,
            wanted: 'up',
            restarts: 0,
          }));
    let fresh = 0;
    const slots = units.map((u) => {
      let id = u.id;
      if (id < 0 || sup.has(id)) {
        sup.reserveIds(highest + 1);
        id = sup.idCounter + fresh++;
        if (u.id >= 0) out.notes.push(`${spec.name}: id ${u.id} is taken, restored as id ${id}`);
      }
      return { id, instance: u.instance, restarts: u.restarts };
    });
    const created = sup.add(spec, slots);
    out.created.push(...created);
    created.forEach((unit, i) => {
      if (units[i]?.wanted === 'up') out.toStart.push(unit);
    });
  }
  out.created.sort((a, b) => a.id - b.id);
  return out;
}
