// `pm2 save` under tend-pm2: the running list as `$PM2_HOME/dump.pm2`, in PM2's format (what `tend import pm2`
// and src/pm2/dump-read.ts read, and what PM2 itself resurrects): a JSON array of the instances' `pm2_env`,
// two-space indented, without the keys PM2 leaves out of its dump (`pm_id`, `instances`: the ids are given
// anew, the count is the number of entries of a name). Written as tend's own dump.json is (persist/dump.ts):
// a temp file fsynced, then renames, the previous dump kept as dump.pm2.bak only if it parses (a damaged
// dump never replaces a good backup).
import { join } from 'node:path';
import { writeDump } from '../../persist/dump.js';
import type { Pm2Entry } from '../jlist-entry.js';
import { pm2PidPath } from './names.js';

/** Keys of a jlist entry's pm2_env that PM2 does not save. */
const NOT_SAVED = ['pm_id', 'instances', 'prev_restart_delay'];

export function pm2DumpPath(home: string): string {
  return join(home, 'dump.pm2');
}

/** The dump's entries: one per instance, in the list's order. */
export function pm2DumpEntries(home: string, entries: readonly Pm2Entry[]): Record<string, unknown>[] {
  return entries.map((e) => {
    const env: Record<string, unknown> = { ...e.pm2_env };
    for (const key of NOT_SAVED) delete env[key];
    if (typeof env.pm_pid_path !== 'string' || env.pm_pid_path === '')
      env.pm_pid_path = pm2PidPath(home, e.name, e.pm_id);
    return env;
  });
}

export async function savePm2Dump(home: string, entries: readonly Pm2Entry[]): Promise<string> {
  const file = pm2DumpPath(home);
  await writeDump(file, JSON.stringify(pm2DumpEntries(home, entries), null, 2));
  return file;
}
