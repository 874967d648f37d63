// The `pm2.list` method's entries, daemon side: every instance now, in PM2's shape (jlist-entry.ts), from the
// supervisor's units (their info, spec and log files; not `describe`, whose history and recent stderr the
// shape does not show). Each app's `version` is read from its directory's package.json once per call (a
// deploy changes it), asynchronously.
import { join } from 'node:path';
import type { AppSpec } from '../config/spec.js';
import type { ProcessInfo } from '../protocol/process-info.js';
import { readFile } from '../runtime/fs-async.js';
import { policySettings } from '../supervisor/policy-settings.js';
import { pm2PidPath } from './home/names.js';
import { type Pm2Entry, pm2Entries } from './jlist-entry.js';

/** What the entries are built from: the supervisor's view of each instance. */
export interface LiveUnit {
  readonly id: number;
  readonly spec: AppSpec;
  readonly outLog: string;
  readonly errLog: string;
}

export interface LiveSource {
  /** Every instance with its usage (Supervisor.list). */
  list(): ProcessInfo[];
  instances(): readonly LiveUnit[];
}

async function versionOf(cwd: string): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(join(cwd, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'N/A';
  } catch {
    return 'N/A';
  }
}

/** `home`: the daemon's home; `pm2Layout`: it is a PM2 home, whose pid files the entries name. */
export async function liveEntries(sup: LiveSource, home: string, pm2Layout: boolean): Promise<Pm2Entry[]> {
  const units = new Map(sup.instances().map((u) => [u.id, u]));
  const infos = sup.list();
  const cwds = [...new Set(infos.map((p) => p.cwd))];
  const versions = new Map(await Promise.all(cwds.map(async (d) => [d, await versionOf(d)] as const)));
  const details = infos.flatMap((process) => {
    const u = units.get(process.id);
    if (!u) return [];
    return [
      {
        process,
        config: u.spec,
        logs: { out: u.outLog, err: u.errLog, combined: u.spec.log_file },
        policies: policySettings(u.spec),
      },
    ];
  });
  return pm2Entries(details, {
    version: (cwd) => versions.get(cwd) ?? 'N/A',
    pidPath: pm2Layout ? (name, id) => pm2PidPath(home, name, id) : () => '',
  });
}
