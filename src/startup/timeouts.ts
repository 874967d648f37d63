// TimeoutStartSec / TimeoutStopSec of `tend startup`'s unit, from the list `tend save` wrote: the daemon
// starts the saved apps (waiting for their readiness: listen_timeout, a startup probe's budget, or no
// deadline at all for a readiness probe alone) and stops them (each within its kill_timeout) in dependency
// order, so the sums bound both. Read leniently: a missing or odd dump gives the floors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultOf } from '../config/registry/index.js';
import { isPlainObject } from '../config/strict-object.js';
import { type ReadinessFields, readyBudget } from '../health/readiness.js';

/** systemd's own default for both. */
const FLOOR_SEC = 90;
const MARGIN_SEC = 15;

const DEFAULT_LISTEN_TIMEOUT_MS = defaultOf('listen_timeout');

export interface UnitTimeouts {
  /** `infinity` when a saved app's start gate has no deadline (a readiness probe alone). */
  startSec: number | 'infinity';
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
  const specs = apps.map((a) => (a as { spec?: unknown } | null)?.spec).filter(isPlainObject);
  const stopMs = specs.reduce<number>((total, s) => total + positive(s.kill_timeout), 0);
  // The daemon sends READY=1 once every saved app passed its start gate: the sum of their budgets bounds
  // it (they start in dependency order, at worst one after the other). One without a deadline: none.
  let startMs: number | null = 0;
  for (const s of specs) {
    const budget = readyBudget(readinessOf(s));
    startMs = budget === null || startMs === null ? null : startMs + budget;
  }
  const seconds = (ms: number) => Math.max(FLOOR_SEC, Math.ceil(ms / 1000) + MARGIN_SEC);
  return { startSec: startMs === null ? 'infinity' : seconds(startMs), stopSec: seconds(stopMs) };
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
