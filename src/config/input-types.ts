// The TypeScript types of what users write: one app (`AppInput`) and an ecosystem file (`EcosystemFile`),
// derived from the field registry so a field added there is typed here. Exported by the package for
// `/** @type {import('tend').EcosystemFile} */` in a .js file, and used by the protocol's `app.start`: a
// misspelt field is a compile error. The forms are the loose ones files may hold ('10s', '200M', 'max');
// the daemon still checks every value (a JavaScript caller has no compiler).
import type { STORED_FIELD_NAMES } from './field-names.js';
import type { Field, Kind } from './registry/index.js';

type Numeric = number | `${number}`;
type DurationUnit = '' | 'ms' | 's' | 'm' | 'h' | 'd' | 'MS' | 'S' | 'M' | 'H' | 'D';
/** Milliseconds, or a number with a unit: 1500, '500ms', '10s', '1.5m', '2h', '1d'. */
export type Duration = number | `${number}${DurationUnit}`;
/** Bytes, or a number with K, M or G and an optional B: 4096, '512K', '10M', '1G', '200MB'. */
export type Size = number | `${number}${'' | 'K' | 'M' | 'G' | 'k' | 'm' | 'g'}${'' | 'B' | 'b'}`;
type Bool = boolean | 'true' | 'false';
/**
 * Environment variables; numbers and booleans become strings, null means "not set here"; an object or a list
 * is passed as its JSON text, as PM2 does.
 */
export type EnvVars = Record<
  string,
  string | number | boolean | null | Readonly<Record<string, unknown>> | readonly unknown[]
>;

/** Seconds (fractions allowed), or a duration with a unit: 30, 0.5, '30', '500ms', '1m'. */
export type Seconds = number | `${number}` | `${number}${Exclude<DurationUnit, ''>}`;
/** A probe's port: a number, or the app's PORT (plus the instance number), expanded per instance. */
export type ProbePort = Numeric | '$PORT' | '$PORT+instance';
/** An HTTP probe: success is any 2xx or 3xx answer. */
export interface HttpGetInput {
  host?: string;
  port: ProbePort;
  path?: string;
  scheme?: 'http' | 'https' | 'HTTP' | 'HTTPS';
  headers?: Readonly<Record<string, string | number | boolean>>;
}
export interface TcpSocketInput {
  host?: string;
  port: ProbePort;
}
export interface ExecInput {
  /** A string runs in `/bin/sh -c`; a list runs as is. */
  command: string | readonly string[];
  working_dir?: string;
  env?: EnvVars;
}
/** A probe's timing, in seconds; Kubernetes' camelCase names are accepted too. */
interface ProbeTiming {
  initial_delay_seconds?: Seconds;
  period_seconds?: Seconds;
  timeout_seconds?: Seconds;
  success_threshold?: Numeric;
  failure_threshold?: Numeric;
  initialDelaySeconds?: Seconds;
  periodSeconds?: Seconds;
  timeoutSeconds?: Seconds;
  successThreshold?: Numeric;
  failureThreshold?: Numeric;
}
/** A startup, readiness or liveness probe: exactly one handler, and its timing. */
export type ProbeInput = ProbeTiming &
  (
    | { http_get: HttpGetInput }
    | { httpGet: HttpGetInput }
    | { tcp_socket: TcpSocketInput }
    | { tcpSocket: TcpSocketInput }
    | { exec: ExecInput }
  );
export type ConditionInput =
  | 'process_started'
  | 'process_healthy'
  | 'process_log_ready'
  | 'process_completed'
  | 'process_completed_successfully'
  | 'service_started'
  | 'service_healthy'
  | 'service_completed_successfully'
  | 'process_ready';
/** One dependency of the long form (compose's). */
export interface DependencyInput {
  condition?: ConditionInput;
  timeout_seconds?: Seconds;
  restart?: Bool;
  bind?: Bool;
  required?: Bool;
}

/** An alert event a hook is told about (docs/alerts.md); `all`: every one. */
export type AlertEventInput =
  | 'crash'
  | 'restart'
  | 'errored'
  | 'unhealthy'
  | 'reload_failed'
  | 'recovered'
  | 'all';
/** A webhook: POSTed JSON (or Slack's / Discord's shape), signed with `secret`. */
export interface WebhookInput {
  url: string;
  events?: AlertEventInput | readonly AlertEventInput[];
  format?: 'json' | 'slack' | 'discord';
  secret?: string;
  timeout?: Duration;
  max_per_minute?: Numeric;
}
/** A command run by `/bin/sh -c` with the alert in TEND_* variables. */
export interface ExecHookInput {
  command: string;
  events?: AlertEventInput | readonly AlertEventInput[];
  timeout?: Duration;
  max_per_minute?: Numeric;
}
/** `notify`: a URL or command is the short form of the object with only `url` / `command`. */
export interface NotifyInput {
  webhook?: string | WebhookInput | readonly (string | WebhookInput)[] | null;
  exec?: string | ExecHookInput | readonly (string | ExecHookInput)[] | null;
}

/** What a field of each kind may hold in a file or an `app.start` call. */
export interface KindInput {
  name: string;
  script: string;
  directory: string;
  interpreter: string;
  namespace: string;
  file: string;
  args: string | readonly (string | number | boolean)[];
  instances: Numeric | 'max';
  execMode: 'fork' | 'cluster' | 'fork_mode' | 'cluster_mode';
  envVars: EnvVars;
  envFile: string | readonly string[];
  port: Numeric;
  boolean: Bool;
  count: Numeric;
  duration: Duration;
  signal: string;
  exitCodes: Numeric | readonly Numeric[];
  logFile: Bool | string;
  dateFormat: string;
  logType: 'raw' | 'json';
  size: Size;
  rotateInterval: string;
  watch: Bool | string | readonly string[];
  globs: string | readonly string[];
  watchOptions: Readonly<Record<string, unknown>>;
  checkInterval: Duration;
  cron: string;
  timeZone: string;
  readyLogLine: string;
  onReadyTimeout: 'fail' | 'assume_ready';
  seconds: Seconds;
  probe: ProbeInput;
  readinessProbe: ProbeInput;
  probeVia: 'any_worker';
  positiveCount: Numeric;
  dependsOn: readonly string[] | Readonly<Record<string, DependencyInput | null>>;
  notify: NotifyInput;
  envName: string;
}

// Every kind has an input type (a compile error here names the kind that lacks one).
type _Complete = Kind extends keyof KindInput ? true : never;
const _complete: _Complete = true;
void _complete;

type AliasOf<F> = F extends { aliases: readonly (infer A extends string)[] } ? A : never;

// A field's value; null means "not set" (YAML `cwd:` with no value, JSON placeholders). Written inline, not
// as a generic alias, so a compiler message shows the accepted values rather than the registry entry.
type Canonical = { [F in Field as F['name']]?: KindInput[F['kind']] | null };
type Aliases = { [F in Field as AliasOf<F>]?: KindInput[F['kind']] | null };
/** PM2 fields tend accepts and keeps for later versions: any value (docs/config.md). */
type Stored = { [K in (typeof STORED_FIELD_NAMES)[number]]?: unknown };
/** `env_<name>` sections, selected by `--env <name>` (env_file matches the pattern too, hence its type). */
type EnvSections = { [key: `env_${string}`]: EnvVars | KindInput['envFile'] | null | undefined };

/** One app as written: PM2 field names, `script` (or its alias `exec`) required. */
export type AppInput = Canonical &
  Aliases &
  Stored &
  EnvSections &
  ({ script: string } | { exec: string; script?: null | undefined });

/** An ecosystem file's content: `{ apps: [...] }` (PM2's `deploy` is ignored), a list of apps, or one app. */
export type EcosystemFile =
  | { apps: AppInput | readonly AppInput[]; deploy?: unknown }
  | readonly AppInput[]
  | AppInput;
