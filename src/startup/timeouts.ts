// TimeoutStartSec / TimeoutStopSec of `tend startup`'s unit, from the list `tend save` wrote: the daemon
// starts the saved apps (waiting for their readiness) and stops them (each within its kill_timeout) in
// dependency order, so the sums bound both. Read leniently: a missing or odd dump gives the floors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** systemd's own default for both. */
const FLOOR_SEC = 90;
const MARGIN_SEC = 15;

export interface UnitTimeouts {
  startSec: number;
  stopSec: number;
}

export function timeoutsFromDump(tendHome: string): UnitTimeouts {
  let apps: unknown[] = [];
  try {
    const dump = JSON.parse(readFileSync(join(tendHome, 'dump.json'), 'utf8')) as { apps?: unknown };
    if (Array.isArray(dump.apps)) apps = dump.apps;
  } catch {
    // nothing saved yet, or unreadable: the daemon reports it at start
  }
  const sum = (field: 'kill_timeout' | 'listen_timeout') =>
    apps.reduce<number>((total, a) => {
      const v = (a as { spec?: Record<string, unknown> } | null)?.spec?.[field];
      return total + (typeof v === 'number' && v > 0 ? v : 0);
    }, 0);
  const seconds = (ms: number) => Math.max(FLOOR_SEC, Math.ceil(ms / 1000) + MARGIN_SEC);
  return { startSec: seconds(sum('listen_timeout')), stopSec: seconds(sum('kill_timeout')) };
}
