// One raw app as users write it in a PM2 ecosystem file (PM2 field names, aliases already folded by
// field-names.ts). Validation only: defaults, paths and the environment are normalize.ts's job, because
// they depend on the caller (base directory, env name, CPUs), not on the file.
//
// Every schema of src/config and src/persist is built by a function, when a validation runs, and dropped
// with it; none is a module-level constant. The daemon lives for months and validates rarely (app.start,
// a restart of a file, a resurrect), and ~1 MiB of zod schemas would otherwise stay in its heap for good.
// So no cache either: one validation builds what it needs once (one app schema for all the apps of a
// file), then it is garbage. Types are derived from the builders (`ReturnType<typeof appSchema>`).

import * as z from '../protocol/zod.js';
import { envFileField } from './env-layers.js';
import { type FieldTypes, fieldTypes, text } from './field-types.js';
import { logTypes } from './log-fields.js';
import { TRIGGER_FIELDS, triggerShape } from './trigger-fields.js';

export function appSchema(t: FieldTypes = fieldTypes()) {
  const logs = logTypes(t);
  return z.object({
    name: z.optional(t.appName),
    script: text('expected the script to run (a path, or a command on PATH)'),
    args: z.optional(t.argList),
    cwd: z.optional(text('expected a directory path')),
    /** A command or path; 'none' runs the script directly. */
    interpreter: z.optional(text('expected an interpreter (a command, a path, or "none")')),
    interpreter_args: z.optional(t.argList),
    namespace: z.optional(text('expected a namespace (a non-empty string)')),
    instances: z.optional(t.instances),
    exec_mode: z.optional(t.execMode),
    env: z.optional(t.envVars),
    /** PM2 shortcut for env.PORT. */
    port: z.optional(t.port),
    autorestart: z.optional(t.boolean),
    max_restarts: z.optional(t.nonNegativeInt),
    min_uptime: z.optional(t.duration),
    restart_delay: z.optional(t.duration),
    exp_backoff_restart_delay: z.optional(t.duration),
    /** tend's own: the cap of the exponential backoff. */
    exp_backoff_max_delay: z.optional(t.duration),
    kill_timeout: z.optional(t.duration),
    listen_timeout: z.optional(t.duration),
    kill_signal: z.optional(t.signal),
    stop_exit_codes: z.optional(t.exitCodes),
    wait_ready: z.optional(t.boolean),
    shutdown_with_message: z.optional(t.boolean),
    out_file: z.optional(text('expected a file path')),
    error_file: z.optional(text('expected a file path')),
    /** PM2: send both streams to /dev/null. */
    disable_logs: z.optional(t.boolean),
    // Logs: format, files and rotation (config/log-fields.ts).
    log_file: z.optional(logs.logFile),
    merge_logs: z.optional(t.boolean),
    time: z.optional(t.boolean),
    log_date_format: z.optional(logs.dateFormat),
    log_type: z.optional(logs.logType),
    max_size: z.optional(logs.size),
    retain: z.optional(t.nonNegativeInt),
    compress: z.optional(t.boolean),
    rotate_interval: z.optional(logs.rotateInterval),
    // Restart triggers (config/trigger-fields.ts): checked once the app's name and cwd are known.
    ...triggerShape(),
    /** dotenv files, relative to cwd (config/env-layers.ts). */
    env_file: z.optional(envFileField()),
  });
}
export type RawApp = z.output<ReturnType<typeof appSchema>>;

/**
 * Fields the schema validates and tend acts on (aliases excluded): the keys of appSchema()'s shape, written
 * out so that reading them builds no schema (a unit test checks they match).
 */
export const ACTIVE_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'script',
  'args',
  'cwd',
  'interpreter',
  'interpreter_args',
  'namespace',
  'instances',
  'exec_mode',
  'env',
  'port',
  'autorestart',
  'max_restarts',
  'min_uptime',
  'restart_delay',
  'exp_backoff_restart_delay',
  'exp_backoff_max_delay',
  'kill_timeout',
  'listen_timeout',
  'kill_signal',
  'stop_exit_codes',
  'wait_ready',
  'shutdown_with_message',
  'out_file',
  'error_file',
  'disable_logs',
  'log_file',
  'merge_logs',
  'time',
  'log_date_format',
  'log_type',
  'max_size',
  'retain',
  'compress',
  'rotate_interval',
  ...TRIGGER_FIELDS,
  'env_file',
]);

/** `env_<name>` sections, validated together under their own names (`env_production.PORT`). */
export function envSectionsSchema(t: FieldTypes = fieldTypes()) {
  return z.record(z.string(), t.envVars);
}
export type EnvSections = z.output<ReturnType<typeof envSectionsSchema>>;
