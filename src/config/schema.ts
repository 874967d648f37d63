// One raw app as users write it in a PM2 ecosystem file (PM2 field names, aliases already folded by
// field-names.ts). Validation only: defaults, paths and the environment are normalize.ts's job, because
// they depend on the caller (base directory, env name, CPUs), not on the file.

import { z } from 'zod';
import * as t from './field-types.js';

const appShape = {
  name: t.appName.optional(),
  script: t.text('expected the script to run (a path, or a command on PATH)'),
  args: t.argList.optional(),
  cwd: t.text('expected a directory path').optional(),
  /** A command or path; 'none' runs the script directly. */
  interpreter: t.text('expected an interpreter (a command, a path, or "none")').optional(),
  interpreter_args: t.argList.optional(),
  namespace: t.text('expected a namespace (a non-empty string)').optional(),
  instances: t.instances.optional(),
  exec_mode: t.execMode.optional(),
  env: t.envVars.optional(),
  /** PM2 shortcut for env.PORT. */
  port: t.port.optional(),
  autorestart: t.boolean.optional(),
  max_restarts: t.nonNegativeInt.optional(),
  min_uptime: t.duration.optional(),
  restart_delay: t.duration.optional(),
  exp_backoff_restart_delay: t.duration.optional(),
  /** tend's own: the cap of the exponential backoff. */
  exp_backoff_max_delay: t.duration.optional(),
  kill_timeout: t.duration.optional(),
  listen_timeout: t.duration.optional(),
  kill_signal: t.signal.optional(),
  stop_exit_codes: t.exitCodes.optional(),
  wait_ready: t.boolean.optional(),
  shutdown_with_message: t.boolean.optional(),
  out_file: t.text('expected a file path').optional(),
  error_file: t.text('expected a file path').optional(),
  /** PM2: send both streams to /dev/null. */
  disable_logs: t.boolean.optional(),
};

export const appSchema = z.object(appShape);
export type RawApp = z.output<typeof appSchema>;

/** Fields the schema validates and tend acts on (aliases excluded). */
export const ACTIVE_FIELDS: ReadonlySet<string> = new Set(Object.keys(appShape));

/** `env_<name>` sections, validated together under their own names (`env_production.PORT`). */
export const envSectionsSchema = z.record(z.string(), t.envVars);
export type EnvSections = z.output<typeof envSectionsSchema>;
