// What a dump.pm2 entry written by tend-pm2 carries besides PM2's keys (issue 17): the app's whole tend spec
// (AppSpec, as tend's own dump.json has it) and the instance's record, under one key, `tend`, so a save and
// a resurrect give back the same app: probes, depends_on, notify, rotation, watched paths, kill_signal,
// listen_timeout, wait_ready… which PM2's keys do not carry. PM2 7 tolerates it: an object in pm2_env is
// kept through its resurrect and its own save and never reaches the app's environment (a string would:
// PM2 passes pm2_env's strings to the process).
//
// The spec is used only while the entry's PM2 keys are those tend-pm2 saved with it (`pm2`: a digest of the
// configuration keys, less what PM2 changes by itself when it resurrects and saves the dump: its own env
// variables, a `-<id>` in log file names; so the part survives `pm2 resurrect` + `pm2 save`, tested against
// PM2 7). An entry PM2 saved again after a `pm2 restart --update-env`, or edited by hand, has other keys:
// then the PM2 keys win, as for any PM2 dump, and a notice says what is not restored.
import { createHash } from 'node:crypto';
import type { AppSpec } from '../../config/spec.js';
import { MAPPED_KEYS } from '../dump-to-apps.js';

export const TEND_KEY = 'tend';

/** The instance as tend's saved lists record it (persist/saved-list.ts UnitRecord). */
export interface SavedUnit {
  id: number;
  instance: number;
  wanted: 'up' | 'down';
}

export interface TendPart {
  /** This part's own format, for a later tend to read or refuse. */
  format: 1;
  spec: AppSpec;
  unit: SavedUnit;
  /** Digest of the entry's PM2 configuration keys when saved (digestOf). */
  pm2: string;
}

/**
 * The PM2 keys an import reads as configuration (dump-to-apps.ts): their values are what the digest covers.
 * Not `instances`: each entry is one instance. The order is the digest's: keep it.
 */
const CONFIG_KEYS = [
  ...MAPPED_KEYS.filter((k) => k !== 'instances'),
  'autorestart',
  'max_restarts',
  'min_uptime',
  'restart_delay',
  'kill_timeout',
  'max_memory_restart',
  'cron_restart',
  'time',
  'log_date_format',
];

/** JSON with object keys sorted, so the same values give the same text whatever order a writer kept. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** Variables PM2 adds to an app's env by itself (a resurrect by PM2 adds `unique_id`): not the user's change. */
const PM2_OWN_VARS = new Set([
  'unique_id',
  'pm_id',
  'NODE_APP_INSTANCE',
  'PM2_USAGE',
  'PM2_INTERACTOR_PROCESSING',
  'PM2_JSON_PROCESSING',
  'PM2_PROGRAMMATIC',
  'PM2_DISCRETE_MODE',
]);
/** PM2 adds `-<pm_id>` to a log file's name when it resurrects an app (`api-out.log` → `api-out-0.log`). */
const LOG_KEYS = new Set(['pm_out_log_path', 'pm_err_log_path', 'pm_log_path']);

/** A key's value as the digest sees it: without what PM2 changes by itself on its own resurrect and save. */
function comparable(key: string, v: unknown): unknown {
  if (key === 'env' && v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).filter(([k]) => !PM2_OWN_VARS.has(k)));
  if (LOG_KEYS.has(key) && typeof v === 'string') return v.replace(/-\d+(\.log)$/, '$1');
  return v;
}

export function digestOf(entry: Readonly<Record<string, unknown>>): string {
  const values = CONFIG_KEYS.map((k) => comparable(k, entry[k]));
  return createHash('sha256').update(canonical(values)).digest('hex');
}

/** The part for a dump entry (`entry`: its PM2 keys as written). */
export function tendPart(entry: Readonly<Record<string, unknown>>, spec: AppSpec, unit: SavedUnit): TendPart {
  return { format: 1, spec, unit, pm2: digestOf(entry) };
}

/** The entry's part when it can be used; otherwise why not (null: the entry has none, a PM2 entry). */
export function readTendPart(
  entry: Readonly<Record<string, unknown>>,
): { part: TendPart } | { why: string } | null {
  const raw = entry[TEND_KEY];
  if (raw === undefined) return null;
  const p = raw as Partial<TendPart> | null;
  if (
    p === null ||
    typeof p !== 'object' ||
    p.format !== 1 ||
    p.spec === null ||
    typeof p.spec !== 'object' ||
    p.unit === null ||
    typeof p.unit !== 'object' ||
    typeof p.pm2 !== 'string'
  )
    return { why: `its "${TEND_KEY}" key is not one this tend wrote` };
  if (p.pm2 !== digestOf(entry)) return { why: 'its PM2 settings changed since tend-pm2 saved it' };
  return { part: p as TendPart };
}
