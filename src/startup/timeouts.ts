// TimeoutStartSec / TimeoutStopSec of `tend startup`'s unit, from the list `tend save` wrote: the daemon
// starts the saved apps (waiting for their readiness: listen_timeout, a startup probe's budget, a readiness
// probe's first window) and stops them (each within its kill_timeout) in dependency order, so the sums bound
// both. The daemon under the unit uses the same budgets (daemon/systemd-notify.ts): it reports READY=1 once
// its start budget is spent, whatever is still not ready (a unit must not hold the boot for good on a probe
// that never passes), and tells systemd when the list it runs needs more than the unit was written with.
// Read leniently: a missing or odd dump gives the floors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultOf } from '../config/registry/index.js';
import { isPlainObject } from '../config/strict-object.js';
import { SYSTEMD_SECONDS_MAX } from '../export/units.js';
import { boundedReadyBudget, type ReadinessFields } from '../health/readiness.js';

/** systemd's own default for both. */
const FLOOR_SEC = 90;
const MARGIN_SEC = 15;
const DEFAULT_LISTEN_TIMEOUT_MS = defaultOf('listen_timeout');

export interface UnitTimeouts {
  startSec: number | 'infinity';
  stopSec: number | 'infinity';
}

export function timeoutsFromDump(tendHome: string): UnitTimeouts {
  const specs = savedSpecs(tendHome);
  return { startSec: unitSeconds(startBudgetMs(specs)), stopSec: unitSeconds(stopBudgetMs(specs)) };
}

/** The saved apps' specs in dump.json, as plain objects; none when there is no readable list. */
export function savedSpecs(tendHome: string): Record<string, unknown>[] {
  let apps: unknown[] = [];
  try {
    const dump = JSON.parse(readFileSync(join(tendHome, 'dump.json'), 'utf8')) as { apps?: unknown };
    if (Array.isArray(dump.apps)) apps = dump.apps;
  } catch {
    // nothing saved yet, or unreadable: the daemon reports it at start
  }
  return apps.map((a) => (a as { spec?: unknown } | null)?.spec).filter(isPlainObject);
}

/**
 * The longest the daemon's start may take (ms): every app passing its start gate, at worst one after the
 * other (dependency order).
 */
export function startBudgetMs(specs: readonly Record<string, unknown>[]): number {
  return specs.reduce<number>((total, s) => total + boundedReadyBudget(readinessOf(s)), 0);
}

/** The longest the daemon's stop may take (ms): each app within its kill_timeout, one after the other. */
export function stopBudgetMs(specs: readonly Record<string, unknown>[]): number {
  return specs.reduce<number>((total, s) => total + positive(s.kill_timeout), 0);
}

/** A budget as the unit writes it: at least systemd's default, with a margin; `infinity` past what it parses. */
export function unitSeconds(ms: number): number | 'infinity' {
  const sec = Math.max(FLOOR_SEC, Math.ceil(ms / 1000) + MARGIN_SEC);
  // Past what systemd parses, `infinity` (the sixth audit's kill_timeout: 1e24 was written 1.000001e+21): the
  // exports' limit (export/units.ts).
  return sec <= SYSTEMD_SECONDS_MAX ? sec : 'infinity';
}

const positive = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/** A saved spec's readiness fields, read leniently: what is missing or odd counts as absent. */
function readinessOf(s: Record<string, unknown>): ReadinessFields {
  const p = s.startup_probe;
  return {
    wait_ready: s.wait_ready === true,
    ready_log_line: typeof s.ready_log_line === 'string' ? s.ready_log_line : null,
    startup_probe: isPlainObject(p)
      ? {
          initial_delay_ms: positive(p.initial_delay_ms),
          period_ms: positive(p.period_ms),
          failure_threshold: positive(p.failure_threshold),
        }
      : null,
    readiness_probe: isPlainObject(s.readiness_probe) ? s.readiness_probe : null,
    exec_mode: s.exec_mode === 'cluster' ? 'cluster' : 'fork',
    listen_timeout: positive(s.listen_timeout) || DEFAULT_LISTEN_TIMEOUT_MS,
    listen_timeout_set: s.listen_timeout_set === true,
  };
}
