// What the registry says about one app field. Plain data, no zod: the CLI reads it (flags, --help, describe)
// without loading a schema library, and the JSON Schema, the zod schema, the docs test and apply-file's
// comparisons are all derived from it (config/registry/index.ts).

/**
 * The value type of a field: one grammar each, shared by files, flags, the JSON Schema and the zod schema
 * (config/schema.ts maps each kind to its zod type, config/json-schema.ts to its JSON Schema).
 */
export type Kind =
  | 'name'
  | 'script'
  | 'directory'
  | 'interpreter'
  | 'namespace'
  | 'file'
  | 'args'
  | 'instances'
  | 'execMode'
  | 'envVars'
  | 'envFile'
  | 'port'
  | 'boolean'
  | 'count'
  | 'duration'
  | 'signal'
  | 'exitCodes'
  | 'logFile'
  | 'dateFormat'
  | 'logType'
  | 'size'
  | 'rotateInterval'
  | 'watch'
  | 'globs'
  | 'watchOptions'
  | 'checkInterval'
  | 'cron'
  | 'timeZone'
  | HealthKind
  // issue 14: alerts and hooks (config/notify-field.ts)
  | 'notify'
  // issue 17: instance_var, increment_var
  | 'envName';

/** The kinds of issue 13's fields (config/json-schema-health.ts gives each its JSON Schema). */
export type HealthKind =
  | 'readyLogLine'
  | 'onReadyTimeout'
  | 'seconds'
  | 'probe'
  | 'readinessProbe'
  | 'probeVia'
  | 'positiveCount'
  | 'dependsOn';

/** The `tend describe` section a field shows in. */
export type Group =
  | 'process'
  | 'command'
  | 'environment'
  | 'restart policy'
  | 'logs'
  | 'watch, memory and cron'
  | 'readiness and health'
  | 'dependencies'
  | 'alerts';

/**
 * What `tend restart <file>` does when the file changes the field (daemon/apply-file.ts):
 * - `restart`: the new value applies at that restart;
 * - `update-env`: kept until `--update-env` (the environment changes only when asked for);
 * - `scale`: kept; a note says to run `tend scale`;
 * - `recreate`: kept; a note says to delete the app and start it again (its files are open, its mode set);
 * - `identity`: the field names the app (it is how the file's app is matched).
 */
export type Change = 'restart' | 'update-env' | 'scale' | 'recreate' | 'identity';

export interface Flag {
  /** commander's flag syntax: `-i, --instances <n>`, `--no-autorestart`, `--watch [paths]`. */
  readonly syntax: string;
  /** The help line, when it is not the field's doc. */
  readonly help?: string;
}

export interface FieldDef {
  readonly name: string;
  readonly kind: Kind;
  /** PM2's other names, in the order they win when several are given (the canonical name first). */
  readonly aliases?: readonly string[];
  readonly required?: boolean;
  /** The value an app gets when the field is not given; absent when it is computed (see defaultText). */
  readonly default?: string | number | boolean;
  /** The default as docs/config.md and --help state it, when not the value itself. */
  readonly defaultText?: string;
  /** docs/config.md's "type" cell, when the kind's wording (KIND_TEXT) is not precise enough. */
  readonly typeText?: string;
  /** One line: --help, the JSON Schema's description, docs. */
  readonly doc: string;
  /** The CLI flags that set it (none: file only). */
  readonly flags?: readonly Flag[];
  readonly group: Group;
  readonly change: Change;
  /** The AppSpec key holding it, when not the same name (error_file → err_file). */
  readonly specKey?: string;
}

/** docs/config.md's "type" cell of each kind (a field's typeText overrides it). */
export const KIND_TEXT: Readonly<Record<Kind, string>> = {
  name: 'string',
  script: 'string, **required**',
  directory: 'string',
  interpreter: 'string',
  namespace: 'string',
  file: 'string',
  args: 'string or list',
  instances: 'integer, or `"max"`',
  execMode: '`"fork"` or `"cluster"` (also `"fork_mode"`, `"cluster_mode"`)',
  envVars: 'object',
  envFile: 'string or list',
  port: 'integer 1 to 65535',
  boolean: 'boolean',
  count: 'non-negative integer',
  duration: 'duration',
  signal: 'signal name',
  exitCodes: 'exit code (0 to 255) or list of them',
  logFile: 'string, or `true`',
  dateFormat: 'string',
  logType: '`"raw"` or `"json"`',
  size: 'size: bytes, or `"10M"`, `"512K"`, `"1G"`',
  rotateInterval: 'cron expression, or `daily`, `hourly`, `weekly`, `monthly`',
  watch: 'boolean, path, or list of paths (or `"a,b"`)',
  globs: 'glob or list of globs (or `"a,b"`)',
  watchOptions: 'object',
  checkInterval: 'duration, at least 100 ms',
  cron: 'cron expression: 5 fields, or 6 with seconds first',
  timeZone: 'IANA time zone (`"Europe/Paris"`, `"UTC"`)',
  readyLogLine: 'string, or `"/regex/flags"`',
  onReadyTimeout: '`"fail"` or `"assume_ready"`',
  seconds: 'seconds (a number), or a duration (`"500ms"`, `"30s"`)',
  probe: 'probe object (`success_threshold` 1)',
  readinessProbe: 'probe object',
  probeVia: '`"any_worker"`',
  positiveCount: 'positive integer',
  dependsOn: 'list of app names, or `{ name: { condition, … } }`',
  notify: '`{ webhook, exec }`: URL, command, object, or lists of them',
  envName: 'environment variable name (`PORT`)',
};
