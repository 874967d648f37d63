// The log fields of an app (time, log_date_format, log_type, log_file, merge_logs, max_size, retain,
// compress, rotate_interval): their value types, the global defaults taken from TEND_LOG_* variables, and
// the resolved values an AppSpec carries.
//
// Global defaults are environment variables of the `tend start` that starts the app (a shell profile, a
// systemd unit, a CI job), or of the daemon for programs that call app.start without an environment. They
// are read when an app is started, so changing them needs no daemon restart, and what an app got is shown
// by `tend describe`.
import path from 'node:path';
import * as z from '../protocol/zod.js';
import { DEFAULT_DATE_FORMAT, dateFormatProblem } from './date-tokens.js';
import { type FieldTypes, fieldTypes, text } from './field-types.js';
import type { ConfigIssue } from './issues.js';
import { describeValue } from './issues.js';
import { resolvePath } from './paths.js';
import { field } from './registry/index.js';
import { intervalProblem } from './rotate-interval.js';

const expect = (message: string) => ({ error: message });

/** The value types of the log fields, built anew on each call (why: config/schema.ts). */
export function logTypes(t: FieldTypes = fieldTypes()) {
  const logType = z.enum(['json', 'raw'], expect('expected "json" or "raw"'));

  const dateFormat = z.string(expect('expected a date format (a string)')).check(
    z.superRefine((format, ctx) => {
      const problem = dateFormatProblem(format);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: format });
    }),
  );

  const rotateInterval = z.string(expect('expected a cron expression or "daily"')).check(
    z.superRefine((interval, ctx) => {
      const problem = isOff(interval) ? null : intervalProblem(interval);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: interval });
    }),
  );

  /** A path, or true for `$TEND_HOME/logs/<name>.log` (false: none). */
  const logFile = z.union(
    [t.boolean, text('expected a file path')],
    expect('expected a file path, or true for the default combined log'),
  );

  return { logType, dateFormat, rotateInterval, logFile };
}

/** "none" / "off": no interval rotation (overrides a global default). */
const isOff = (interval: string) => /^(none|off)$/i.test(interval.trim());

/** The defaults an app gets for the log fields it does not set. */
export interface LogDefaults {
  time: boolean;
  log_date_format: string;
  log_type: 'raw' | 'json';
  max_size: number;
  retain: number;
  compress: boolean;
  rotate_interval: string | null;
}

/** The registry's default of a field. */
const defaultOf = (name: string) => field(name)?.default;

/** Without any TEND_LOG_* variable: plain lines, no timestamps, no rotation (5 generations once it is on). */
export const LOG_DEFAULTS: LogDefaults = {
  time: defaultOf('time') === true,
  log_date_format: String(defaultOf('log_date_format') ?? DEFAULT_DATE_FORMAT),
  log_type: defaultOf('log_type') === 'json' ? 'json' : 'raw',
  max_size: Number(defaultOf('max_size') ?? 0),
  retain: Number(defaultOf('retain') ?? 0),
  compress: defaultOf('compress') === true,
  rotate_interval: null,
};

/** The variables that set global defaults, and the field each one sets. */
export const LOG_ENV: Readonly<Record<string, keyof LogDefaults>> = {
  TEND_LOG_TIME: 'time',
  TEND_LOG_DATE_FORMAT: 'log_date_format',
  TEND_LOG_TYPE: 'log_type',
  TEND_LOG_MAX_SIZE: 'max_size',
  TEND_LOG_RETAIN: 'retain',
  TEND_LOG_COMPRESS: 'compress',
  TEND_LOG_ROTATE_INTERVAL: 'rotate_interval',
};

/** The schema of each variable's field. */
function envSchemas(): Readonly<Record<keyof LogDefaults, z.ZodMiniType>> {
  const t = fieldTypes();
  const logs = logTypes(t);
  return {
    time: t.boolean,
    log_date_format: logs.dateFormat,
    log_type: logs.logType,
    max_size: t.size,
    retain: t.nonNegativeInt,
    compress: t.boolean,
    rotate_interval: logs.rotateInterval,
  };
}

/** Global defaults from TEND_LOG_* variables; every bad value is an issue naming the variable. */
export function logDefaultsFrom(env: Readonly<Record<string, string | undefined>>): {
  defaults: LogDefaults;
  issues: ConfigIssue[];
} {
  const defaults: LogDefaults = { ...LOG_DEFAULTS };
  const issues: ConfigIssue[] = [];
  let schemas: ReturnType<typeof envSchemas> | undefined; // built only when a variable is set
  for (const [variable, field] of Object.entries(LOG_ENV)) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    schemas ??= envSchemas();
    const parsed = schemas[field].safeParse(raw);
    if (parsed.success) (defaults as unknown as Record<string, unknown>)[field] = parsed.data;
    else {
      const message = parsed.error.issues[0]?.message ?? 'invalid value';
      issues.push({ path: variable, message: `${message}, got ${describeValue(raw, variable)}` });
    }
  }
  return { defaults, issues };
}

/** The fields of the spec, as the app's schema-checked fields and the defaults decide. */
export interface LogFieldsInput {
  /** The app's name as log file names spell it (normalize-input.ts, `logName`). */
  name: string;
  cwd: string;
  home: string;
  logDir: string;
  fields: {
    time?: boolean;
    log_date_format?: string;
    log_type?: 'raw' | 'json';
    log_file?: boolean | string;
    merge_logs?: boolean;
    max_size?: number;
    retain?: number;
    compress?: boolean;
    rotate_interval?: string;
  };
}

export function logFields(input: LogFieldsInput, defaults: LogDefaults) {
  const f = input.fields;
  const written = f.log_file;
  const log_file =
    written === undefined || written === false
      ? null
      : written === true
        ? path.join(input.logDir, `${input.name}.log`)
        : resolvePath(input.cwd, written, input.home);
  const interval = f.rotate_interval ?? defaults.rotate_interval;
  return {
    log_file,
    merge_logs: f.merge_logs ?? false,
    // PM2: a log_date_format alone turns timestamps on.
    time: f.time ?? (f.log_date_format !== undefined ? true : defaults.time),
    log_date_format: f.log_date_format ?? defaults.log_date_format,
    log_type: f.log_type ?? defaults.log_type,
    max_size: f.max_size ?? defaults.max_size,
    retain: f.retain ?? defaults.retain,
    compress: f.compress ?? defaults.compress,
    rotate_interval: interval === null || isOff(interval) ? null : interval,
  };
}
