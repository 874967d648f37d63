// `tend export compose`: a service per app running tend-runtime (`init: true`: Docker's init is PID 1 and
// reaps), its healthcheck asking the runtime (`tend-runtime probe --ready`, no curl needed in the image),
// depends_on with compose's conditions, the stop budget and signal, the memory cap.
import { relative } from 'node:path';
import type { AppSpec, DependencyCondition, DependencySpec } from '../config/spec.js';
import { readyGate } from '../health/readiness.js';
import { commonWarnings, restartPolicyFields } from './common-warnings.js';
import { envFields, knownPort, LONE_SURROGATE, leftOutNames, splitEnv, wellFormed } from './env.js';
import { movedHealthPort } from './health-port.js';
import { hostPathWarnings, sourceInImage } from './image-paths.js';
import { type ExportInput, type ExportWarning, HEALTH_PORT, RUNTIME_BIN } from './model.js';
import {
  GRACE_SECONDS_MAX,
  graceClamped,
  runtimeArgs,
  runtimeStopSignal,
  targetStopSeconds,
} from './shutdown.js';
import { boundedStartBudget } from './start-budget.js';
import {
  type Clamped,
  composeDuration,
  GO_DURATION_SECONDS_MAX,
  memoryCapMiB,
  PROBE_RSS_MIB,
  targetName,
} from './units.js';

/** The shortest healthcheck interval: each check is a Node process (`tend-runtime probe`, ~50 ms of CPU). */
export const HEALTHCHECK_INTERVAL_MIN_MS = 2000;
/** The shortest healthcheck timeout: it bounds a Node start (~50 ms, more when throttled) and the GET. */
export const HEALTHCHECK_TIMEOUT_MIN_MS = 5000;

type ComposeCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

/** tend's dependency conditions → compose's, and whether the mapping loses something (a warning). */
const CONDITIONS: Record<DependencyCondition, [ComposeCondition, string | null]> = {
  process_started: ['service_started', null],
  process_healthy: ['service_healthy', null],
  process_log_ready: [
    'service_healthy',
    'process_log_ready → service_healthy (the healthcheck passes once the app is ready: its log line included)',
  ],
  process_completed: [
    'service_completed_successfully',
    'process_completed → service_completed_successfully: compose has no "completed with any code"',
  ],
  process_completed_successfully: ['service_completed_successfully', null],
};

/**
 * The service of an app: a component of an image name, as Docker's reference grammar has it
 * (distribution/reference's path-component: `[a-z0-9]+` parts joined by one `.`, one `_`, `__` or a run
 * of `-`), so lower case, starting and ending with a letter or digit. compose names the image it builds
 * `<project>-<service>` as the service is written, and Docker refuses an image name otherwise: `Billing`
 * ("repository name must be lowercase", seventh audit), `_worker`, `api.`, `a..b`, `a-_b`, `a___b`
 * (verification of the seventh audit). Other characters become `-`, the ends are trimmed, and a run of
 * separators the grammar does not take becomes one `-`.
 */
export function serviceName(app: string): string {
  return targetName(app, /[a-z0-9._-]/, { lower: true }).name.replace(/[._-]{2,}/g, (run) =>
    /^(?:__|-+)$/.test(run) ? run : '-',
  );
}

export function composeDocument(input: ExportInput): {
  document: { services: Record<string, Record<string, unknown>> };
  warnings: ExportWarning[];
} {
  const warnings: ExportWarning[] = [];
  // A service others wait on with service_healthy needs a healthcheck even without a readiness source.
  const waitedOn = new Set(
    input.apps.flatMap((a) =>
      a.depends_on.filter((d) => CONDITIONS[d.condition][0] === 'service_healthy').map((d) => d.name),
    ),
  );
  const where = sourceInImage(input).warning;
  if (where) warnings.push(where);
  // Waited on with service_completed_successfully: such a one-shot must exit for the condition to fire.
  const completion = new Set(
    input.apps.flatMap((a) =>
      a.depends_on
        .filter((d) => CONDITIONS[d.condition][0] === 'service_completed_successfully')
        .map((d) => d.name),
    ),
  );
  const services: Record<string, Record<string, unknown>> = {};
  for (const app of input.apps) {
    const w = (field: string, message: string) => warnings.push({ app: app.name, field, message });
    // A scheduled one-shot that others wait to complete runs once (--no-cron): with its schedule kept,
    // tend-runtime would never exit and service_completed_successfully never fire.
    const runOnce = !app.autorestart && app.cron_restart !== null && completion.has(app.name);
    warnings.push(
      ...commonWarnings(app, 'compose', input.logDir).filter((x) => !runOnce || x.field !== 'cron_restart'),
    );
    if (runOnce)
      w(
        'cron_restart',
        'not kept: other services wait for this one-shot to complete (service_completed_successfully), so it runs once (--no-cron, restart: "no"); schedule it with the host\'s cron or a systemd timer (docker compose run --rm <service>)',
      );
    warnings.push(...hostPathWarnings(app, input));
    const name = serviceName(app.name);
    if (name !== app.name)
      w(
        'name',
        `not a compose service name every step takes (compose names the image it builds <project>-<service>, and Docker takes an image name of lower case letters and digits joined by one ".", one "_", "__" or dashes, starting and ending with a letter or digit): the service is ${name}; rename the app to ${name} for one name everywhere`,
      );
    services[name] = service(app, input, waitedOn.has(app.name), runOnce, w);
  }
  return { document: { services }, warnings };
}

type Warn = (field: string, message: string) => void;

/**
 * compose interpolates `$VAR` and `${VAR}` in the file's values; `$$` is a literal dollar. Every value taken
 * from the ecosystem file is escaped so the app gets it as written (a password-like `pa$word` stays whole).
 */
export const composeLiteral = (value: string) => value.replaceAll('$', '$$$$');

/**
 * A variable name as a key of `environment:`. A lone surrogate has no YAML spelling (its escape made
 * docker compose refuse the file) and reaches no process (Node writes the environment as UTF-8, U+FFFD in
 * its place): written as U+FFFD, warned. Kubernetes refuses such a name and systemd leaves it out, each
 * with its own message.
 */
function composeName(name: string, w: Warn): string {
  const at = LONE_SURROGATE.exec(name);
  if (at === null) return name;
  w(
    `env.${name}`,
    `the name holds a lone UTF-16 surrogate (U+${at[0].charCodeAt(0).toString(16).toUpperCase()} at character ${at.index + 1}), which no environment carries (the app gets U+FFFD in its place) and docker compose refuses as a YAML escape: written as ${wellFormed(name)}; rename the variable to letters, digits and "_"`,
  );
  return wellFormed(name);
}

/**
 * A name compose sets: not empty (the compose spec refuses `"": v`, and only --check said so) and without
 * `=`, which ends a name in the environment (Docker read `A=B: w` as A = "B=w").
 */
const takes = (name: string) => name !== '' && !name.includes('=');
const NOT_A_NAME = 'not a name compose can set (an empty name is none, and "=" ends a name: A=B would set A)';

/**
 * compose resolves relative paths (env_file, build) from the compose file's folder: --out DIR, or the
 * current directory when printed (`> compose.yaml` there).
 */
function composePath(input: ExportInput, path: string): string {
  const from = input.outDir ?? input.cwd;
  return relative(from, path) || '.';
}

function service(
  app: AppSpec,
  input: ExportInput,
  waitedOn: boolean,
  runOnce: boolean,
  w: Warn,
): Record<string, unknown> {
  const s: Record<string, unknown> = {};
  if (input.image) s.image = input.image;
  // The build context is the current directory (image-paths.ts): the file is at its path relative to it.
  else s.build = composePath(input, input.cwd);
  // An app on 9616 would share it with the runtime's default listener: both move it as the pod does.
  const health = movedHealthPort(app, knownPort(app), 'the container', w);
  const listen = health !== HEALTH_PORT ? ['--health-listen', `127.0.0.1:${health}`] : [];
  s.command = [
    RUNTIME_BIN,
    sourceInImage(input).path,
    ...runtimeArgs(app, input.envName, { cron: runOnce }),
    ...listen,
  ].map(composeLiteral);
  // Docker's init (tini) as PID 1: it reaps orphans and forwards the stop signal to tend-runtime.
  s.init = true;
  s.restart = app.autorestart ? 'unless-stopped' : 'no';
  if (app.autorestart && app.stop_exit_codes.length > 0)
    w('stop_exit_codes', 'no equivalent in compose: unless-stopped restarts after any exit');
  const restartFields = restartPolicyFields(app);
  if (restartFields.length > 0)
    w(
      restartFields.join(', '),
      "no equivalent in compose: restart: unless-stopped restarts after every exit with Docker's own backoff, and never gives up",
    );
  const signal = runtimeStopSignal(app);
  s.stop_signal = signal ?? 'SIGTERM';
  s.stop_grace_period = `${targetStopSeconds(app)}s`;
  if (graceClamped(app))
    w(
      'kill_timeout',
      `stop_grace_period ${targetStopSeconds(app)}s: longer than a compose duration takes (a Go duration, at most ${GO_DURATION_SECONDS_MAX}s, ~292 years); tend-runtime's --grace-period is ${GRACE_SECONDS_MAX}s`,
    );
  const split = splitEnv(app);
  // A name compose cannot set is left out, warned, as systemd does with its own rule (env.ts leftOutNames).
  const badNames = leftOutNames(
    split.plain.map(([k]) => k),
    takes,
    w,
    `${NOT_A_NAME}: left out of environment:; tend-runtime still gives it to the app from the ecosystem file`,
  );
  const badSecrets = leftOutNames(
    split.secret,
    takes,
    w,
    `looks secret, but ${NOT_A_NAME}: it cannot be set from the shell of "docker compose up"; tend-runtime gives the app the ecosystem file's value (rename the variable to set it there)`,
  );
  const env = {
    plain: split.plain.filter(([k]) => !badNames.has(k)),
    secret: split.secret.filter((k) => !badSecrets.has(k)),
  };
  if (env.plain.length > 0 || env.secret.length > 0) {
    const environment: Record<string, string | null> = {};
    for (const [k, v] of env.plain) environment[composeName(k, w)] = composeLiteral(v);
    // A name without a value: compose passes the variable from the environment of `docker compose up`.
    for (const k of env.secret) environment[composeName(k, w)] = null;
    s.environment = Object.fromEntries(Object.entries(environment).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  if (env.secret.length > 0)
    w(
      envFields(env.secret),
      'looks secret: not written; compose takes it from the shell of "docker compose up" (or put it in an env_file)',
    );
  // compose reads the files and sets the variables; tend-runtime is told not to look for them (--no-env-file).
  if (app.env_file.length > 0) s.env_file = app.env_file.map((f) => composeLiteral(composePath(input, f)));
  const healthcheck = healthcheckOf(app, waitedOn, listen, w);
  if (healthcheck) s.healthcheck = healthcheck;
  if (app.depends_on.length > 0) s.depends_on = dependsOn(app.depends_on, w);
  if (app.max_memory_restart > 0 && input.cpuRelative.includes(app.name))
    w(
      'max_memory_restart',
      'no memory limit: instances follow the CPUs of the machine that runs the container, so the total is unknown here (tend-runtime still restarts each instance past the threshold)',
    );
  else if (app.max_memory_restart > 0)
    s.deploy = {
      resources: {
        limits: {
          // The healthcheck's `tend-runtime probe` runs in the container's cgroup too, every interval.
          memory: `${memoryCapMiB(app.max_memory_restart, app.instances, app.exec_mode === 'cluster') + (healthcheck ? PROBE_RSS_MIB : 0)}m`,
        },
      },
    };
  return s;
}

/** `listen`: the runtime's `--health-listen` when it is not the default, which the probe must be told too. */
function healthcheckOf(
  app: AppSpec,
  waitedOn: boolean,
  listen: readonly string[],
  w: Warn,
): Record<string, unknown> | null {
  if (readyGate(app) === 'spawn' && !waitedOn) return null;
  const probe = app.readiness_probe;
  const tooLong =
    (field: string, key: string): Clamped =>
    (written) =>
      w(field, `healthcheck ${key} ${written}: the longest compose duration (a Go duration, ~292 years)`);
  // Each check starts a Node process (`tend-runtime probe`): its timeout bounds that start as well as the
  // GET, and a check more often than every 2 s costs a good part of a core. The app's probe runs inside
  // tend-runtime at its own pace either way; the healthcheck only reads the result.
  const floored = (field: string, key: string, ms: number, floor: number, why: string) => {
    if (ms >= floor) return ms;
    if (probe !== null)
      w(
        `readiness_probe.${field}`,
        `${ms / 1000}: the healthcheck's ${key} is ${floor / 1000}s (${why}); tend-runtime still runs the app's probe with ${field} ${ms / 1000}, and the healthcheck reads its result`,
      );
    return floor;
  };
  return {
    // --app=<name>, one word: an app named `-lead` would be read as an option after a separate --app.
    test: ['CMD', RUNTIME_BIN, 'probe', '--ready', `--app=${app.name}`, ...listen].map(composeLiteral),
    interval: composeDuration(
      floored(
        'period_seconds',
        'interval',
        probe?.period_ms ?? 5000,
        HEALTHCHECK_INTERVAL_MIN_MS,
        'each check starts a Node process, ~50 ms of CPU',
      ),
      tooLong('readiness_probe.period_seconds', 'interval'),
    ),
    timeout: composeDuration(
      floored(
        'timeout_seconds',
        'timeout',
        probe?.timeout_ms ?? HEALTHCHECK_TIMEOUT_MIN_MS,
        HEALTHCHECK_TIMEOUT_MIN_MS,
        'it bounds the start of a Node process, not only the request, and a throttled container is slow to start one',
      ),
      tooLong('readiness_probe.timeout_seconds', 'timeout'),
    ),
    retries: probe?.failure_threshold ?? 3,
    // The time the app has to become ready, as systemd's TimeoutStartSec= (start-budget.ts).
    start_period: composeDuration(boundedStartBudget(app), tooLong('listen_timeout', 'start_period')),
    start_interval: '1s',
  };
}

function dependsOn(deps: readonly DependencySpec[], w: Warn): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const d of [...deps].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const [condition, loss] = CONDITIONS[d.condition];
    if (loss) w(`depends_on.${d.name}`, loss);
    if (d.bind) w(`depends_on.${d.name}.bind`, 'no equivalent in compose; not exported');
    if (d.timeout_ms > 0) w(`depends_on.${d.name}.timeout_seconds`, 'no equivalent in compose; not exported');
    out[serviceName(d.name)] = { condition, ...(d.restart ? { restart: true } : {}), required: d.required };
  }
  return out;
}
