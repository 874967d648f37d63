// `pm2 save` under tend-pm2: the running list as `$PM2_HOME/dump.pm2`, in PM2's format (what `tend import pm2`
// and src/pm2/dump-read.ts read, and what PM2 itself resurrects): a JSON array of the instances' `pm2_env`,
// two-space indented, without the keys PM2 leaves out of its dump (`pm_id`, `instances`: the ids are given
// anew, the count is the number of entries of a name), each with tend's own part (`tend`: the app's spec
// and the instance's record, tend-part.ts) so a resurrect gives back the same app. Written by the daemon
// (`daemon.save` in a PM2 home) as tend's own dump.json is (persist/dump.ts): a temp file fsynced, then
// renames, the previous dump kept as dump.pm2.bak only if it parses (a damaged dump never replaces a good
// backup).
import { join } from 'node:path';
import type { AppSpec } from '../../config/spec.js';
import { writeDump } from '../../persist/dump.js';
import type { Pm2Entry } from '../jlist-entry.js';
import { pm2PidPath } from './names.js';
import { type SavedUnit, TEND_KEY, tendPart } from './tend-part.js';

/** Keys of a jlist entry's pm2_env that PM2 does not save. */
const NOT_SAVED = ['pm_id', 'instances', 'prev_restart_delay'];

/** What tend knows of an instance beyond its PM2 entry, by id. */
export type TendParts = ReadonlyMap<number, { spec: AppSpec; unit: SavedUnit }>;

export function pm2DumpPath(home: string): string {
  return join(home, 'dump.pm2');
}

/** The dump's entries: one per instance, in the list's order. */
export function pm2DumpEntries(
  home: string,
  entries: readonly Pm2Entry[],
  parts: TendParts = new Map(),
): Record<string, unknown>[] {
  return entries.map((e) => {
    const env: Record<string, unknown> = { ...e.pm2_env };
    for (const key of NOT_SAVED) delete env[key];
    if (typeof env.pm_pid_path !== 'string' || env.pm_pid_path === '')
      env.pm_pid_path = pm2PidPath(home, e.name, e.pm_id);
    const part = parts.get(e.pm_id);
    if (part) env[TEND_KEY] = tendPart(env, part.spec, part.unit);
    return env;
  });
}

export async function savePm2Dump(
  home: string,
  entries: readonly Pm2Entry[],
  parts: TendParts = new Map(),
): Promise<string> {
  const file = pm2DumpPath(home);
  await writeDump(file, JSON.stringify(pm2DumpEntries(home, entries, parts), null, 2));
  return file;
}
