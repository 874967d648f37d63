// The restart-trigger fields of an app: watch, ignore_watch, watch_delay, watch_options, max_memory_restart,
// memory_check_interval, cron_restart, cron_restart_tz. Their value types, and the resolved values an AppSpec
// carries. They are checked after the schema, once the app's name and cwd are known: watch paths resolve
// against cwd and must exist, and every message names the app (`apps[0]` alone says little on a command line).
import { statSync } from 'node:fs';
import * as z from '../protocol/zod.js';
import { cronClass } from './croner.js';
import { type FieldTypes, fieldTypes, text } from './field-types.js';
import { type ConfigIssue, describeValue, issuesFromZod } from './issues.js';
import { parseSize } from './log-fields.js';
import { resolvePath } from './paths.js';

const expect = (message: string) => ({ error: message });

export const TRIGGER_DEFAULTS = {
  /** Trailing-edge debounce of file changes, ms. */
  watch_delay: 1000,
  /** How often the RSS of an app with max_memory_restart is sampled, ms. */
  memory_check_interval: 5000,
} as const;

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

/** What the AppSpec holds for these fields. */
export interface TriggerSpec {
  /** Absolute paths watched (files or directories), or false: not watched. */
  readonly watch: false | readonly string[];
  /** Globs (relative to cwd) whose matches never trigger a restart, besides the defaults. */
  readonly ignore_watch: readonly string[];
  readonly watch_delay: number;
  readonly watch_options: Readonly<Record<string, unknown>>;
  /** Bytes; 0 = no limit. */
  readonly max_memory_restart: number;
  readonly memory_check_interval: number;
  readonly cron_restart: string | null;
  readonly cron_restart_tz: string | null;
}

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
const MEMORY = 'expected a memory size: bytes, or a string such as "200M", "512K" or "1G"';
const INTERVAL = 'expected a duration of at least 100 ms';
const CRON = 'expected a cron expression: 5 fields, or 6 with seconds first ("0 */6 * * *")';
const TZ = 'expected an IANA time zone such as "Europe/Paris" or "UTC"';

/** The schemas of these fields, built anew on each call (why: config/schema.ts); one call per validation. */
export function triggerSchemas(t: FieldTypes = fieldTypes()) {
  const watch = z.pipe(
    z.transform((v: unknown) =>
      typeof v === 'string' && /^(true|false)$/i.test(v.trim())
        ? v.trim().toLowerCase() === 'true'
        : commaList(v),
    ),
    z.union([z.boolean(), z.array(text(PATHS)).check(z.minLength(1, expect(PATHS)))], expect(PATHS)),
  );

  const globList = z.pipe(z.transform(commaList), z.array(text(GLOBS), expect(GLOBS)));

  const memorySize = z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' ? (parseSize(v) ?? v) : v)),
    z.number(expect(MEMORY)).check(z.int(expect(MEMORY)), z.gte(0, expect(MEMORY))),
  );

  const checkInterval = z.pipe(t.duration, z.number().check(z.gte(100, expect(INTERVAL))));

  const watchOptions = z.record(z.string(), z.unknown(), expect('expected an object of chokidar options'));

  const cronField = z.string(expect(CRON)).check(
    z.superRefine((expr, ctx) => {
      const problem = cronProblem(expr);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: expr });
    }),
  );

  const timeZone = z.string(expect(TZ)).check(z.refine(isTimeZone, expect(TZ)));

  const fields = z.object({
    watch: z.optional(watch),
    ignore_watch: z.optional(globList),
    watch_delay: z.optional(t.duration),
    watch_options: z.optional(watchOptions),
    max_memory_restart: z.optional(memorySize),
    memory_check_interval: z.optional(checkInterval),
    cron_restart: z.optional(cronField),
    cron_restart_tz: z.optional(timeZone),
  });
  return { fields, watch };
}

export type TriggerSchemas = ReturnType<typeof triggerSchemas>;

/** The names of these fields (the keys of triggerSchemas().fields: a unit test checks it). */
export const TRIGGER_FIELDS = [
  'watch',
  'ignore_watch',
  'watch_delay',
  'watch_options',
  'max_memory_restart',
  'memory_check_interval',
  'cron_restart',
  'cron_restart_tz',
] as const;

/** The app schema's entries for these fields: any value; triggerFields() checks them. */
export function triggerShape() {
  const shape = {} as Record<(typeof TRIGGER_FIELDS)[number], z.ZodMiniOptional<z.ZodMiniUnknown>>;
  for (const name of TRIGGER_FIELDS) shape[name] = z.optional(z.unknown());
  return shape;
}

function watchPaths(watch: boolean | string[], cwd: string, home: string): false | string[] {
  if (watch === false) return false;
  return watch === true ? [cwd] : watch.map((p) => resolvePath(cwd, p, home));
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

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface TriggerInput {
  /** `apps[1]`. */
  location: string;
  name: string;
  /** The app's fields as written (aliases folded). */
  fields: Readonly<Record<string, unknown>>;
  /** The app's cwd, absolute, or null when it does not exist (watch paths are then not checked). */
  cwd: string | null;
  home: string;
}

/**
 * Checks and resolves the trigger fields; problems go to `issues`, remarks to `notes`. `schemas`: from
 * triggerSchemas(), built once for all the apps of one validation.
 */
export function triggerFields(
  input: TriggerInput,
  issues: ConfigIssue[],
  notes: string[],
  schemas: TriggerSchemas,
): TriggerSpec {
  const { location, name, cwd } = input;
  const given = Object.fromEntries(
    TRIGGER_FIELDS.filter((k) => input.fields[k] !== undefined).map((k) => [k, input.fields[k]]),
  );
  const parsed = schemas.fields.safeParse(given, { reportInput: true });
  const app = ` (app "${name}")`;
  if (!parsed.success) {
    // "expected …, got …": the app's name goes after the expectation.
    for (const issue of issuesFromZod(parsed.error, { prefix: location, input: given }))
      issues.push({ path: issue.path, message: issue.message.replace(/, got /, `${app}, got `) });
  }
  // Watch paths are checked even when another field is wrong: every problem in one pass.
  const paths = schemas.watch.safeParse(given.watch ?? false);
  const watch = paths.success && cwd !== null ? watchPaths(paths.data, cwd, input.home) : false;
  for (const p of watch || []) {
    if (statSync(p, { throwIfNoEntry: false })) continue;
    issues.push({
      path: `${location}.watch`,
      message: `expected existing files or directories (relative to ${cwd})${app}, got ${describeValue(p)}`,
    });
  }
  if (!parsed.success) return OFF;
  const f = parsed.data;
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(f.watch_options ?? {})) {
    if ((WATCH_OPTIONS as readonly string[]).includes(key)) options[key] = value;
    else
      notes.push(
        `${location}: watch_options.${key} is not passed to the watcher (${WATCH_OPTIONS.join(', ')})`,
      );
  }
  if (f.cron_restart_tz !== undefined && f.cron_restart === undefined)
    notes.push(`${location}: cron_restart_tz has no effect without cron_restart`);
  return {
    watch,
    ignore_watch: f.ignore_watch ?? [],
    watch_delay: f.watch_delay ?? TRIGGER_DEFAULTS.watch_delay,
    watch_options: options,
    max_memory_restart: f.max_memory_restart ?? 0,
    memory_check_interval: f.memory_check_interval ?? TRIGGER_DEFAULTS.memory_check_interval,
    cron_restart: f.cron_restart ?? null,
    cron_restart_tz: f.cron_restart_tz ?? null,
  };
}

const OFF: TriggerSpec = {
  watch: false,
  ignore_watch: [],
  watch_delay: TRIGGER_DEFAULTS.watch_delay,
  watch_options: {},
  max_memory_restart: 0,
  memory_check_interval: TRIGGER_DEFAULTS.memory_check_interval,
  cron_restart: null,
  cron_restart_tz: null,
};
