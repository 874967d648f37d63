import * as z from './zod.js';

export const Status = () =>
  z.enum(['stopped', 'waiting', 'blocked', 'launching', 'online', 'stopping', 'waiting-restart', 'errored']);
/** An instance's health, from its readiness and liveness probes: `unknown` with none (or before a verdict). */
export const Health = () => z.enum(['unknown', 'healthy', 'unhealthy']);
export type Health = z.infer<ReturnType<typeof Health>>;
export type Status = z.infer<ReturnType<typeof Status>>;
export const Wanted = () => z.enum(['up', 'down']);
export type Wanted = z.infer<ReturnType<typeof Wanted>>;

const int = () => z.number().check(z.int());

export const ExitInfo = () =>
  z.strictObject({
    code: z.nullable(int()),
    signal: z.nullable(z.string()),
    at: z.number(),
    uptime_ms: z.number(),
  });
export type ExitInfo = z.infer<ReturnType<typeof ExitInfo>>;

/** One instance as `jlist` shows it: the documented contract scripts rely on (docs/cli.md). */
export const ProcessInfo = () =>
  z.strictObject({
    id: int(),
    name: z.string(),
    namespace: z.string(),
    mode: z.enum(['fork', 'cluster']),
    instance: int(),
    pid: z.nullable(int()),
    status: Status(),
    wanted: Wanted(),
    /**
     * Observed readiness of the current process: it has said it serves (or its probe passes). `online`
     * means it has been ready in this incarnation; a failing readiness probe turns this false later.
     */
    ready: z.boolean(),
    health: Health(),
    /** Why: set while `waiting`, `blocked`, `errored` (and `launching` with no deadline); else null. */
    reason: z.nullable(z.string()),
    /**
     * Stopped because its process finished by itself (autorestart false, or a stop_exit_codes exit), not
     * because it was stopped: `last_exit` says how. False in every other status.
     */
    completed: z.boolean(),
    restarts: int(),
    unstable_restarts: int(),
    started_at: z.nullable(z.number()),
    uptime_ms: z.number(),
    cpu: z.number(),
    memory: z.number(),
    last_exit: z.nullable(ExitInfo()),
    last_error: z.nullable(z.string()),
    next_start_at: z.nullable(z.number()),
    kill_deadline_at: z.nullable(z.number()),
    created_at: z.number(),
    script: z.string(),
    args: z.array(z.string()),
    cwd: z.string(),
    interpreter: z.nullable(z.string()),
    interpreter_args: z.array(z.string()),
    autorestart: z.boolean(),
    out_log: z.string(),
    err_log: z.string(),
    /** Output lines that never reached a log file (full disk, write errors), since the app was started. */
    log_dropped: int(),
    // Restart triggers (src/triggers): restarts they asked for, apart from crash restarts, and what is next.
    watching: z.boolean(),
    watch_restarts: int(),
    memory_restarts: int(),
    cron_restarts: int(),
    next_cron_at: z.nullable(z.number()),
  });
export type ProcessInfo = z.infer<ReturnType<typeof ProcessInfo>>;

/** `describe`: the instance plus its whole configuration and recent history. */
export const ProcessDetail = () =>
  z.strictObject({
    process: ProcessInfo(),
    config: z.record(z.string(), z.unknown()),
    notes: z.array(z.string()),
    restart_history: z.array(
      z.strictObject({
        at: z.number(),
        reason: z.string(),
        delay_ms: z.nullable(z.number()),
        /** The exit that led to this entry, or null (a requested restart, a failed spawn, a reload). */
        exit: z.nullable(ExitInfo()),
      }),
    ),
    recent_stderr: z.array(z.string()),
    /** The last exits of this instance, newest last (at most 5). */
    last_exits: z.array(ExitInfo()),
    /** Every file this instance's output goes to (`combined`: the app's `log_file`, or null). */
    logs: z.strictObject({ out: z.string(), err: z.string(), combined: z.nullable(z.string()) }),
    /** Where readiness comes from, and what the probes and the app last said. */
    readiness: z.strictObject({
      /** The signals that make an incarnation ready (`ipc`, `notify`, `log-line`, `startup-probe`, …); empty: at spawn. */
      sources: z.array(z.string()),
      /** How long a start may take to be ready (ms), or null: no deadline. */
      deadline_ms: z.nullable(z.number()),
      /** The app's last `STATUS=` line on the notify pipe. */
      notify_status: z.nullable(z.string()),
      /** The last probe run: its kind, outcome, exit code (exec) and first 4 KiB of output. */
      last_probe: z.nullable(
        z.strictObject({
          kind: z.enum(['startup', 'readiness', 'liveness']),
          ok: z.boolean(),
          at: z.number(),
          duration_ms: z.number(),
          exit_code: z.nullable(int()),
          output: z.string(),
          error: z.nullable(z.string()),
        }),
      ),
    }),
    /** Watch, memory and cron restart settings (see docs/config.md); `active` is always true. */
    policies: z.strictObject({
      /** Absolute paths watched, or false. */
      watch: z.union([z.literal(false), z.array(z.string())]),
      ignore_watch: z.array(z.string()),
      watch_delay: z.number(),
      /** Bytes, or null: no limit. */
      max_memory_restart: z.nullable(z.number()),
      memory_check_interval: z.number(),
      cron_restart: z.nullable(z.string()),
      cron_restart_tz: z.nullable(z.string()),
      active: z.boolean(),
    }),
  });
export type ProcessDetail = z.infer<ReturnType<typeof ProcessDetail>>;

/** A target token: `all`, a numeric id, an app name or a namespace. */
export const Target = () => z.array(z.string().check(z.minLength(1))).check(z.minLength(1));
