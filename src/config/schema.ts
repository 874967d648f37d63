// One raw app as users write it in a PM2 ecosystem file (PM2 field names, aliases already folded by
// field-names.ts), derived from the field registry: each field's kind maps to one zod type here. Validation
// only: defaults, paths and the environment are normalize.ts's job, because they depend on the caller (base
// directory, env name, CPUs), not on the file.
//
// Every schema of src/config and src/persist is built by a function, when a validation runs, and dropped
// with it; none is a module-level constant. The daemon lives for months and validates rarely (app.start,
// a restart of a file, a resurrect), and ~1 MiB of zod schemas would otherwise stay in its heap for good.
// So no cache either: one validation builds what it needs once (one app schema for all the apps of a
// file), then it is garbage.

import * as z from '../protocol/zod.js';
import type { DependencyIn } from './depends-on-field.js';
import { envFileField } from './env-layers.js';
import { type FieldTypes, fieldTypes, text } from './field-types.js';
import { healthTypes } from './health-types.js';
import type { EnvVars } from './input-types.js';
import { logTypes } from './log-fields.js';
import { notifyType } from './notify-field.js';
import type { ProbeIn } from './probe-field.js';
import { FIELDS, type Field, type Kind } from './registry/index.js';
import type { ExecMode, NotifySpec } from './spec.js';
import { triggerTypes } from './trigger-fields.js';

export { ACTIVE_FIELDS } from './registry/index.js';

const ENV_NAME = 'expected an environment variable name (letters, digits and _, not starting with a digit)';

/** What a field of each kind holds once checked (the one strict form later code relies on). */
export interface KindOutput {
  name: string;
  script: string;
  directory: string;
  interpreter: string;
  namespace: string;
  file: string;
  args: string[];
  instances: number;
  execMode: ExecMode;
  envVars: Record<string, string>;
  envFile: string[];
  port: number;
  boolean: boolean;
  count: number;
  duration: number;
  signal: string;
  exitCodes: number[];
  logFile: boolean | string;
  dateFormat: string;
  logType: 'raw' | 'json';
  size: number;
  rotateInterval: string;
  watch: boolean | string[];
  globs: string[];
  watchOptions: Record<string, unknown>;
  checkInterval: number;
  cron: string;
  timeZone: string;
  readyLogLine: string;
  onReadyTimeout: 'fail' | 'assume_ready';
  /** ms */
  seconds: number;
  probe: ProbeIn;
  readinessProbe: ProbeIn;
  probeVia: 'any_worker';
  positiveCount: number;
  dependsOn: DependencyIn[];
  /** null: an object with no hook. */
  notify: NotifySpec | null;
  envName: string;
}

/** The zod type of each kind, built anew on each call; `satisfies` checks each against KindOutput. */
export function kindSchemas(t: FieldTypes = fieldTypes()) {
  const logs = logTypes(t);
  const triggers = triggerTypes(t);
  const health = healthTypes(t);
  return {
    name: t.appName,
    script: text('expected the script to run (a path, or a command on PATH)'),
    directory: text('expected a directory path'),
    /** A command or path; 'none' runs the script directly. */
    interpreter: text('expected an interpreter (a command, a path, or "none")'),
    namespace: text('expected a namespace (a non-empty string)'),
    file: text('expected a file path'),
    args: t.argList,
    instances: t.instances,
    execMode: t.execMode,
    envVars: t.envVars,
    envFile: envFileField(),
    port: t.port,
    boolean: t.boolean,
    count: t.nonNegativeInt,
    duration: t.duration,
    signal: t.signal,
    exitCodes: t.exitCodes,
    logFile: logs.logFile,
    dateFormat: logs.dateFormat,
    logType: logs.logType,
    size: t.size,
    rotateInterval: logs.rotateInterval,
    watch: triggers.watch,
    globs: triggers.globList,
    watchOptions: triggers.watchOptions,
    checkInterval: triggers.checkInterval,
    cron: triggers.cron,
    timeZone: triggers.timeZone,
    readyLogLine: health.readyLogLine,
    onReadyTimeout: health.onReadyTimeout,
    seconds: health.seconds,
    probe: health.probe,
    readinessProbe: health.readinessProbe,
    probeVia: health.probeVia,
    positiveCount: health.positiveCount,
    dependsOn: health.dependsOn,
    notify: notifyType(t),
    envName: z.string({ error: ENV_NAME }).check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: ENV_NAME })),
  } satisfies { [K in Kind]: z.ZodMiniType<KindOutput[K], unknown> };
}

export type KindSchemas = ReturnType<typeof kindSchemas>;

/** The app schema: one entry per registry field, in registry order (`kinds`: from kindSchemas()). */
export function appSchema(t: FieldTypes = fieldTypes(), built: KindSchemas = kindSchemas(t)) {
  const kinds: Record<Kind, z.ZodMiniType> = built;
  const shape: Record<string, z.ZodMiniType> = {};
  for (const f of FIELDS) shape[f.name] = 'required' in f ? kinds[f.kind] : z.optional(kinds[f.kind]);
  return z.object(shape);
}

type Out<F extends Field> = KindOutput[F['kind']];
/** One app as the schema outputs it: `script` present, the other fields when given. */
export type RawApp = { [F in Field as F extends { required: true } ? F['name'] : never]: Out<F> } & {
  [F in Field as F extends { required: true } ? never : F['name']]?: Out<F>;
};

/** `env_<name>` sections, validated together under their own names (`env_production.PORT`). */
export function envSectionsSchema(t: FieldTypes = fieldTypes()) {
  return z.record(z.string(), t.envVars);
}
export type EnvSections = Record<string, Record<string, string>>;
/** The input form of a section, for the record's type. */
export type EnvSectionsInput = Record<string, EnvVars>;
