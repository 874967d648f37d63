// The restart-trigger fields of an app: watch, ignore_watch, watch_delay, watch_options, max_memory_restart,
// memory_check_interval, cron_restart, cron_restart_tz. Their value types (checked by the app schema, with
// every other field, in one pass), and the resolved values an AppSpec carries: watch paths resolve against
// the app's cwd and must exist, which is checked once the cwd is known (config/normalize.ts).
import { statSync } from 'node:fs';
import * as z from '../protocol/zod.js';
import { cronClass } from './croner.js';
import { type FieldTypes, fieldTypes, text } from './field-types.js';
import { type ConfigIssue, describeValue } from './issues.js';
import { resolvePath } from './paths.js';
import { field } from './registry/index.js';
import type { TriggerSpec } from './spec.js';

const expect = (message: string) => ({ error: message });

/** The chokidar options `watch_options` may set; others are ignored with a note. */
export const WATCH_OPTIONS = [
  'usePolling',
  'interval',
  'binaryInterval',
  'followSymlinks',
  'depth',
  'awaitWriteFinish',
  'atomic',
  'ignorePermissionErrors',
] as const;

/** `"a,b"`, `["a", "b"]` → ['a', 'b']. */
function commaList(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const PATHS = 'expected true, false, or paths relative to cwd (a list, or a comma-separated string)';
const GLOBS = 'expected globs relative to cwd (a list, or a comma-separated string)';
const INTERVAL = 'expected a duration of at least 100 ms';
const CRON = 'expected a cron expression: 5 fields, or 6 with seconds first ("0 */6 * * *")';
const TZ = 'expected an IANA time zone such as "Europe/Paris" or "UTC"';

/** The value types of these fields, built anew on each call (why: config/schema.ts); one call per validation. */
export function triggerTypes(t: FieldTypes = fieldTypes()) {
  const watch = z.pipe(
    z.transform((v: unknown) =>
      typeof v === 'string' && /^(true|false)$/i.test(v.trim())
        ? v.trim().toLowerCase() === 'true'
        : commaList(v),
    ),
    z.union([z.boolean(), z.array(text(PATHS)).check(z.minLength(1, expect(PATHS)))], expect(PATHS)),
  );

  const globList = z.pipe(z.transform(commaList), z.array(text(GLOBS), expect(GLOBS)));

  const checkInterval = z.pipe(t.duration, z.number().check(z.gte(100, expect(INTERVAL))));

  const watchOptions = z.record(z.string(), z.unknown(), expect('expected an object of chokidar options'));

  const cron = z.string(expect(CRON)).check(
    z.superRefine((expr, ctx) => {
      const problem = cronProblem(expr);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: expr });
    }),
  );

  const timeZone = z.string(expect(TZ)).check(z.refine(isTimeZone, expect(TZ)));

  return { watch, globList, checkInterval, watchOptions, cron, timeZone };
}

/** The problem with a cron_restart expression, or null. Croner also takes 7 fields (years): tend does not. */
export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/).length;
  if (!expr.trim().startsWith('@') && fields !== 5 && fields !== 6) return CRON;
  try {
    new (cronClass())(expr, { paused: true });
    return null;
  } catch (err) {
    const why = (err as Error).message.replace(/^CronPattern: /, '').replace(/\.$/, '');
    return `${CRON}: ${why}`;
  }
}

/**
 * A time zone as the tz database spells it: Intl takes any case (`europe/paris`, `utc`), the other readers
 * of the name do not (systemd's OnCalendar=, Go's time.LoadLocation behind a CronJob's timeZone: the fourth
 * audit's exports were refused there). The name as written when Intl knows it so; else Intl's own spelling
 * when it is the same name in another case, or one of Intl's zones that matches it case-blind.
 */
export function canonicalTimeZone(tz: string): string {
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  if (resolved === tz || resolved.toLowerCase() === tz.toLowerCase()) return resolved;
  const known = Intl.supportedValuesOf('timeZone');
  if (known.includes(tz)) return tz;
  const sameName = known.find((z) => z.toLowerCase() === tz.toLowerCase());
  if (sameName) return sameName;
  // An alias in the case the tz database gives it (US/Eastern) stays; one all in lower case (us/eastern,
  // asia/kolkata) takes the zone Intl resolves it to (America/New_York, Asia/Calcutta: names every reader has).
  return tz === tz.toLowerCase() ? resolved : tz;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** These fields as the app schema output them. */
export interface TriggerFieldsIn {
  watch?: boolean | string[];
  ignore_watch?: string[];
  watch_delay?: number;
  watch_options?: Record<string, unknown>;
  max_memory_restart?: number;
  memory_check_interval?: number;
  cron_restart?: string;
  cron_restart_tz?: string;
}

const num = (name: string) => Number(field(name)?.default ?? 0);

/**
 * The watch paths, absolute; each one that does not exist is an issue. Run for every app whose cwd exists,
 * even one with other problems, so a file's problems are all reported in one pass.
 */
export function watchPaths(
  watch: boolean | readonly string[] | undefined,
  where: { location: string; cwd: string; home: string },
  issues: ConfigIssue[],
): false | string[] {
  if (watch === undefined || watch === false) return false;
  const paths = watch === true ? [where.cwd] : watch.map((p) => resolvePath(where.cwd, p, where.home));
  for (const p of paths) {
    if (statSync(p, { throwIfNoEntry: false })) continue;
    issues.push({
      path: `${where.location}.watch`,
      message: `expected existing files or directories (relative to ${where.cwd}), got ${describeValue(p)}`,
    });
  }
  return paths;
}

/** The resolved trigger settings of a valid app; remarks go to `notes`. */
export function triggerFields(
  f: TriggerFieldsIn,
  watch: false | readonly string[],
  location: string,
  notes: string[],
): TriggerSpec {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(f.watch_options ?? {})) {
    if ((WATCH_OPTIONS as readonly string[]).includes(key)) options[key] = value;
    else
      notes.push(
        `${location}: watch_options.${key} is not passed to the watcher (${WATCH_OPTIONS.join(', ')}) (TEND_ERR_CONFIG_IGNORED)`,
      );
  }
  if (f.cron_restart_tz !== undefined && f.cron_restart === undefined)
    notes.push(`${location}: cron_restart_tz has no effect without cron_restart (TEND_ERR_CONFIG_IGNORED)`);
  return {
    watch,
    ignore_watch: f.ignore_watch ?? [],
    watch_delay: f.watch_delay ?? num('watch_delay'),
    watch_options: options,
    max_memory_restart: f.max_memory_restart ?? num('max_memory_restart'),
    memory_check_interval: f.memory_check_interval ?? num('memory_check_interval'),
    cron_restart: f.cron_restart ?? null,
    cron_restart_tz: f.cron_restart_tz === undefined ? null : canonicalTimeZone(f.cron_restart_tz),
  };
}
