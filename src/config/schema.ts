// One raw app as users write it in a PM2 ecosystem file (PM2 field names, aliases already folded by
// field-names.ts). Validation only: defaults, paths and the environment are normalize.ts's job, because
// they depend on the caller (base directory, env name, CPUs), not on the file.

import * as z from '../protocol/zod.js';
import { envFileField } from './env-layers.js';
import * as t from './field-types.js';
import * as logs from './log-fields.js';
import { triggerShape } from './trigger-fields.js';

const appShape = {
  name: z.optional(t.appName),
  script: t.text('expected the script to run (a path, or a command on PATH)'),
  args: z.optional(t.argList),
  cwd: z.optional(t.text('expected a directory path')),
  /** A command or path; 'none' runs the script directly. */
  interpreter: z.optional(t.text('expected an interpreter (a command, a path, or "none")')),
  interpreter_args: z.optional(t.argList),
  namespace: z.optional(t.text('expected a namespace (a non-empty string)')),
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
  out_file: z.optional(t.text('expected a file path')),
  error_file: z.optional(t.text('expected a file path')),
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
  ...triggerShape,
  /** dotenv files, relative to cwd (config/env-layers.ts). */
  env_file: z.optional(envFileField),
};

export const appSchema = z.object(appShape);
export type RawApp = z.output<typeof appSchema>;

/** Fields the schema validates and tend acts on (aliases excluded). */
export const ACTIVE_FIELDS: ReadonlySet<string> = new Set(Object.keys(appShape));

/** `env_<name>` sections, validated together under their own names (`env_production.PORT`). */
export const envSectionsSchema = z.record(z.string(), t.envVars);
export type EnvSections = z.output<typeof envSectionsSchema>;
