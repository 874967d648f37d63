// AppSpec: one app after validation and normalisation. Frozen; later code never re-checks types.
// Imports nothing: every config module may import these types without closing a circle.

export type ExecMode = 'fork' | 'cluster';

/** What the AppSpec holds for the restart triggers (config/trigger-fields.ts resolves them). */
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

/** One probe's handler: exactly one of the three (config checks it). */
export type ProbeHandler =
  | {
      readonly http_get: {
        readonly host: string;
        /** A port number, or `'$PORT'` / `'$PORT+instance'` (expanded per instance from the app's PORT). */
        readonly port: number | string;
        readonly path: string;
        readonly scheme: 'http' | 'https';
        readonly headers: Readonly<Record<string, string>>;
      };
    }
  | { readonly tcp_socket: { readonly host: string; readonly port: number | string } }
  | {
      readonly exec: {
        /** A string runs in `/bin/sh -c`; a list runs as is. */
        readonly command: string | readonly string[];
        /** Absolute; the app's cwd when not given. */
        readonly working_dir: string | null;
        /** Added to the app's environment. */
        readonly env: Readonly<Record<string, string>>;
      };
    };

/** A startup, readiness or liveness probe, its timing in ms (written in seconds or durations). */
export interface ProbeSpec {
  readonly handler: ProbeHandler;
  readonly initial_delay_ms: number;
  readonly period_ms: number;
  readonly timeout_ms: number;
  readonly success_threshold: number;
  readonly failure_threshold: number;
}

export type DependencyCondition =
  | 'process_started'
  | 'process_healthy'
  | 'process_log_ready'
  | 'process_completed'
  | 'process_completed_successfully';

/** One entry of `depends_on`, normalised (compose's `service_*` spellings folded). */
export interface DependencySpec {
  readonly name: string;
  readonly condition: DependencyCondition;
  /** How long to wait; 0: as long as the dependency is still trying (until it is errored). */
  readonly timeout_ms: number;
  /** Restart this app once the dependency is ready again after an operator restart or reload of it. */
  readonly restart: boolean;
  /** Stop this app when the dependency goes down; start it again when the dependency is ready. */
  readonly bind: boolean;
  /** false: warn and start anyway when the dependency fails. */
  readonly required: boolean;
}

/** Readiness, probes, watchdog, rolling reload and dependencies (issue 13). */
export interface HealthSpec {
  /** Substring, or `/regex/flags`, matched against stdout and stderr lines; null: none. */
  readonly ready_log_line: string | null;
  /** What a missed readiness deadline means: a failed start (default), or PM2's old "online anyway". */
  readonly on_ready_timeout: 'fail' | 'assume_ready';
  /** Whether listen_timeout was written (a readiness probe alone has a deadline only then). */
  readonly listen_timeout_set: boolean;
  /** `watchdog_sec` in ms: no WATCHDOG=1 within it restarts the instance; 0: off. */
  readonly watchdog_ms: number;
  readonly startup_probe: ProbeSpec | null;
  readonly readiness_probe: ProbeSpec | null;
  readonly liveness_probe: ProbeSpec | null;
  /** `'any_worker'`: the user accepts that a cluster app's probe on the shared port reaches any worker. */
  readonly probe_via: 'any_worker' | null;
  /** Rolling reload: replacements started at a time. */
  readonly max_surge: number;
  /** Rolling reload: how long a replacement must stay ready before the old worker stops (ms). */
  readonly min_ready_ms: number;
  readonly depends_on: readonly DependencySpec[];
}

/** What an alert is about (src/alerts/ derives them from the bus; docs/alerts.md). */
export type AlertEvent = 'crash' | 'restart' | 'errored' | 'unhealthy' | 'reload_failed' | 'recovered';

/** One webhook of `notify` (issue 14): POSTed JSON, retried, rate-limited per app. */
export interface WebhookHook {
  /** http:// or https://; credentials in it are sent as basic auth (and redacted in describe). */
  readonly url: string;
  readonly events: readonly AlertEvent[];
  /** The body's shape: tend's JSON, or Slack's `{ text }` / Discord's `{ content }`. */
  readonly format: 'json' | 'slack' | 'discord';
  /** Signs each body (X-Tend-Signature: sha256=HMAC); null: unsigned. */
  readonly secret: string | null;
  readonly timeout_ms: number;
  /** Deliveries per minute per app; the rest are counted as suppressed. */
  readonly max_per_minute: number;
}

/** One command of `notify`, run by /bin/sh -c with the alert in TEND_* variables. */
export interface ExecHook {
  readonly command: string;
  readonly events: readonly AlertEvent[];
  readonly timeout_ms: number;
  readonly max_per_minute: number;
}

/** An app's (or the daemon settings') `notify` hooks, normalised to lists. */
export interface NotifySpec {
  readonly webhook: readonly WebhookHook[];
  readonly exec: readonly ExecHook[];
}

/** Restart triggers (watch, max_memory_restart, cron_restart…): see TriggerSpec in trigger-fields.ts. */
export interface AppSpec extends TriggerSpec, HealthSpec {
  readonly name: string;
  readonly namespace: string;
  /** Absolute path of the script, or of the executable found on PATH. */
  readonly script: string;
  readonly args: readonly string[];
  /** Absolute working directory. */
  readonly cwd: string;
  /** Interpreter command (absolute path or a name looked up on PATH at spawn), or null to exec the script. */
  readonly interpreter: string | null;
  /** Arguments for the interpreter before the script (`node_args` / `interpreter_args`). */
  readonly interpreter_args: readonly string[];
  /** True when the interpreter is Node: the child gets an IPC channel (process.send('ready')). */
  readonly is_node: boolean;
  readonly exec_mode: ExecMode;
  /** Number of instances, already resolved from `max` / negative forms. */
  readonly instances: number;
  /** The environment the app runs with, before tend adds its per-instance variables. */
  readonly env: Readonly<Record<string, string>>;
  /** The variable holding the instance's number (PM2's `instance_var`; default NODE_APP_INSTANCE). */
  readonly instance_var: string;
  /** A variable of `env` (an integer) each instance gets plus its number (PM2's `increment_var`), or null. */
  readonly increment_var: string | null;
  readonly autorestart: boolean;
  readonly max_restarts: number;
  readonly min_uptime: number;
  readonly restart_delay: number;
  /** Base delay of the exponential backoff in ms; 0 means off. */
  readonly exp_backoff_restart_delay: number;
  /** Cap of the exponential backoff in ms. */
  readonly exp_backoff_max_delay: number;
  readonly kill_timeout: number;
  readonly kill_signal: string;
  readonly stop_exit_codes: readonly number[];
  readonly wait_ready: boolean;
  readonly listen_timeout: number;
  readonly shutdown_with_message: boolean;
  /** Issue 14: the app answers `tend:metrics` over IPC (tend/metrics); a fork Node app gets a channel for it. */
  readonly metrics: boolean;
  /** Absolute log file paths (may be /dev/null). */
  readonly out_file: string;
  readonly err_file: string;
  /** Both streams in one more file (absolute), or null. */
  readonly log_file: string | null;
  /** Instances share the app's files (no `-<id>` suffix). */
  readonly merge_logs: boolean;
  /** Prefix every line with a timestamp. */
  readonly time: boolean;
  /** The timestamp format (tokens in docs/config.md). */
  readonly log_date_format: string;
  /** 'json': one JSON object per line. */
  readonly log_type: 'raw' | 'json';
  /** Rotate when the app's live log files hold this many bytes together; 0 = never by size. */
  readonly max_size: number;
  /** Rotated generations kept. */
  readonly retain: number;
  /** gzip rotated files. */
  readonly compress: boolean;
  /** Rotate on this schedule too (cron expression or daily/hourly/weekly/monthly), or null. */
  readonly rotate_interval: string | null;
  /** PM2 fields accepted and kept for features of later versions (watch, max_memory_restart, …). */
  readonly stored: Readonly<Record<string, unknown>>;
  /** Warnings found while normalising (unknown fields, stored-but-inactive fields, fallbacks). */
  readonly notes: readonly string[];
  /** The ecosystem file this app came from, or null. */
  readonly source: string | null;
  /** Absolute paths of the app's dotenv files (`env_file`), read at start and on --update-env. */
  readonly env_file: readonly string[];
  /** The app's own variables (`env`, `port`, the selected `env_<name>`): kept to rebuild `env` on --update-env. */
  readonly app_env: Readonly<Record<string, string>>;
  /** The `--env <name>` the app was started with (selects `env_<name>`), reused by `restart <file> --update-env`. */
  readonly env_name: string | null;
  /** Alert hooks of this app (issue 14, src/alerts/), or null: none. */
  readonly notify: NotifySpec | null;
}
