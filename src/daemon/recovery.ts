// What a starting daemon does with the state.json of the daemon before it, BEFORE it serves requests:
// - the last daemon stopped cleanly (`tend kill`): start empty, as PM2 does;
// - it handed over (`tend update`): restore its list;
// - it died (kill -9, OOM, a crash) in this same boot: end whatever is left of its processes (verified by
//   pid + start time, whole groups and trees, SIGTERM then SIGKILL), then restore its list with the same ids;
// - the machine rebooted since: start empty (boot runs `tend resurrect`, which reads dump.json).
// A torn or corrupt state.json is reported and its .bak is used; the damaged file is kept aside.

import type { AppSpec } from '../config/spec.js';
import { restoreApps } from '../persist/saved-apps.js';
import { FormatError, readSavedList, type SavedList } from '../persist/saved-list.js';
import { readBootTime } from '../runtime/boot-id.js';
import {
  endProcesses,
  findTagged,
  findVictims,
  type RecordedProcess,
  waitForExecs,
} from '../runtime/end-recorded.js';
import { rename } from '../runtime/fs-async.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { ProcessUnit } from '../supervisor/unit.js';

export interface RecoveryDeps {
  stateFile: string;
  /** TEND_HOME: processes of a dead daemon carry it in their environment. */
  home: string;
  supervisor: Supervisor;
  reference: AppSpec;
  bootId: string | null;
  log(line: string): void;
  /** SIGTERM → SIGKILL grace for leftovers of a dead daemon; by default each app's own kill_timeout. */
  graceMs?: number;
  /** How long startup waits for the restored units to settle before serving anyway. */
  settleMs?: number;
  /** Starts the restored units (the daemon's: in dependency order, src/deps); by default all at once. */
  start?: (units: readonly ProcessUnit[]) => Promise<unknown>;
}

/** Returns the notices for the user (also logged): what was recovered, and any file problem. */
export async function recoverAtStart(deps: RecoveryDeps): Promise<string[]> {
  const { stateFile, log } = deps;
  const notices: string[] = [];
  const notice = (line: string) => {
    log(line);
    notices.push(line);
  };
  let outcome: Awaited<ReturnType<typeof readSavedList>>;
  try {
    outcome = await readSavedList(stateFile, deps.reference);
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    const kept = await keepAside(stateFile, log);
    notice(`${stateFile}: ${err.message}; starting with an empty list${kept ? ` (kept as ${kept})` : ''}`);
    return notices;
  }
  if (outcome.kind === 'missing') return notices;
  if (outcome.kind === 'bad') {
    const kept = await keepAside(stateFile, log);
    // Nothing tells what ran: end every leftover that carries this home's tag, so none keeps a port.
    const ended = await endLeftovers(null, deps);
    if (ended.length > 0)
      log(`ended ${ended.length} leftover process(es) of the previous daemon: ${ended.join(' ')}`);
    notice(
      `the process list of the previous daemon is unreadable (${outcome.reasons.join('; ')}); ` +
        `starting with an empty list${kept ? `, the damaged file is kept as ${kept}` : ''}`,
    );
    return notices;
  }
  for (const w of outcome.warnings) notice(w);
  if (outcome.from !== stateFile) await keepAside(stateFile, log);
  const list = outcome.list;
  const why = reasonToRestore(list, deps.bootId);
  if (why === null) {
    log(`previous daemon's list not restored (${list.clean ? 'clean shutdown' : 'another boot'})`);
    return notices;
  }
  // A hand-over stopped its apps before exiting, unless it was killed during the stop: end what is left
  // either way (usually nothing), so no app ever runs twice.
  const ended = await endLeftovers(list, deps);
  if (ended.length > 0)
    log(`ended ${ended.length} leftover process(es) of the previous daemon: ${ended.join(' ')}`);
  const { supervisor } = deps;
  if (list.next_id !== null) supervisor.reserveIds(list.next_id);
  const restored = restoreApps(supervisor, list.apps);
  for (const n of restored.notes) notice(n);
  // Settle before serving, so the first command sees the apps as they were; bounded, so a slow wait_ready
  // app cannot keep the CLI from getting its daemon.
  const started = deps.start ? deps.start(restored.toStart) : supervisor.start(restored.toStart, true);
  await Promise.race([started, new Promise((r) => setTimeout(r, deps.settleMs ?? 5000).unref())]);
  const summary =
    `restored ${restored.created.length} process(es) of ${list.apps.length} app(s) (${restored.toStart.length} started)` +
    (ended.length > 0 ? `, ended ${ended.length} leftover process(es)` : '');
  // A daemon that died with nothing in its list and nothing left running is worth a log line, not a notice.
  if (why === 'crash' && (list.apps.length > 0 || ended.length > 0))
    notice(`the previous daemon (pid ${list.daemon_pid ?? '?'}) died without stopping its apps: ${summary}`);
  else if (why === 'crash') log(`the previous daemon (pid ${list.daemon_pid ?? '?'}) died: ${summary}`);
  else log(`hand-over from the previous daemon: ${summary}`);
  return notices;
}

export function reasonToRestore(list: SavedList, bootId: string | null): 'crash' | 'handover' | null {
  if (list.format === 1) {
    // An older tend wrote no boot id and no shutdown mark: a list with nothing wanted up is what its
    // `tend kill` left; otherwise it died, and it did so in this boot if it wrote after the boot.
    const boot = readBootTime();
    const sameBoot = boot !== null && list.written_at > boot;
    return sameBoot && list.apps.some((a) => a.units.some((u) => u.wanted === 'up')) ? 'crash' : null;
  }
  if (bootId === null || list.boot_id !== bootId) return null;
  if (list.restore) return 'handover';
  return list.clean ? null : 'crash';
}

/**
 * Ends the recorded processes of `list` (verified by pid + start time, with their groups and trees) and,
 * every process tagged with this home (the record may be behind: a .bak, or none at all).
 */
async function endLeftovers(list: SavedList | null, deps: RecoveryDeps): Promise<number[]> {
  // Each app's leftovers get that app's own kill_timeout between SIGTERM and SIGKILL (an app that needs
  // 30 s to flush must get them after a crash too); processes found only by their tag get the longest.
  const groups: { graceMs: number; victims: Map<number, number> }[] = [];
  const claimed = new Set<number>();
  for (const app of list?.apps ?? []) {
    const records: RecordedProcess[] = [];
    for (const u of app.units) {
      if (typeof u.pid !== 'number' || typeof u.starttime !== 'number') continue;
      records.push({
        pid: u.pid,
        starttime: u.starttime,
        pgid: u.pgid ?? null,
        pgid_starttime: u.pgid_starttime ?? null,
      });
    }
    const victims = findVictims(records);
    for (const pid of claimed) victims.delete(pid);
    for (const pid of victims.keys()) claimed.add(pid);
    groups.push({ graceMs: deps.graceMs ?? app.spec.kill_timeout, victims });
  }
  // A child caught between fork and exec carries its tag only once it has exec'd.
  await waitForExecs(deps.home, 2000);
  const tagged = new Map([...findTagged(deps.home)].filter(([pid]) => !claimed.has(pid)));
  const longest = Math.max(1500, ...groups.map((g) => g.graceMs));
  groups.push({ graceMs: deps.graceMs ?? longest, victims: tagged });
  const results = await Promise.all(groups.map((g) => endProcesses(g.victims, { graceMs: g.graceMs })));
  const survivors = results.flatMap((r) => r.survivors);
  if (survivors.length > 0)
    deps.log(`leftover process(es) still alive after SIGKILL: ${survivors.join(' ')}`);
  return results.flatMap((r) => r.ended);
}

/** Moves a damaged state.json aside, so the next write does not turn it into the .bak. */
async function keepAside(file: string, log: (line: string) => void): Promise<string | null> {
  const to = `${file}.corrupt-${Date.now()}`;
  try {
    await rename(file, to);
    log(`kept the damaged ${file} as ${to}`);
    return to;
  } catch {
    return null; // missing (only the .bak existed)
  }
}
