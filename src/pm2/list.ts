// `tend jlist --format pm2` and `tend prettylist --format pm2`: the process list in PM2's shape
// (jlist-entry.ts). jlist is one line of JSON; prettylist is Node's util.inspect of the same array, PM2's
// own output format, so `grep 'restart_time: 1'` works as it does against PM2. Run on main.ts's fast path:
// no commander.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { TendClient } from '../client/client.js';
import { isTendError } from '../protocol/errors.js';
import { type Pm2Entry, pm2Entries } from './jlist-entry.js';

/** The version of the package in the app's directory, as PM2 shows it ('N/A' without one). */
function versionReader(): (cwd: string) => string {
  const seen = new Map<string, string>();
  return (cwd) => {
    let v = seen.get(cwd);
    if (v === undefined) {
      try {
        const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { version?: unknown };
        v = typeof pkg.version === 'string' ? pkg.version : 'N/A';
      } catch {
        v = 'N/A';
      }
      seen.set(cwd, v);
    }
    return v;
  };
}

export async function pm2List(c: TendClient): Promise<Pm2Entry[]> {
  // describe, not list: PM2's entry holds the configuration (env, watch, limits) and the log files too.
  try {
    const { details } = await c.call('process.describe', { target: ['all'] });
    return pm2Entries(details, versionReader());
  } catch (err) {
    // `all` with no process at all: PM2 prints an empty list.
    if (isTendError(err) && err.code === 'TEND_ERR_TARGET_NOT_FOUND') return [];
    throw err;
  }
}

export function renderPm2(entries: readonly Pm2Entry[], pretty: boolean): string {
  if (!pretty) return `${JSON.stringify(entries)}\n`;
  return `${inspect(entries, { depth: Number.POSITIVE_INFINITY, maxArrayLength: Number.POSITIVE_INFINITY, maxStringLength: Number.POSITIVE_INFINITY })}\n`;
}
