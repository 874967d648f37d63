// `tend export systemd`: one service unit per app, running `tend-runtime <file> --only=<app> --no-deps` in
// the foreground (exactly that app: its dependencies are units of their own, ordered by After=). tend-runtime keeps what systemd has no word for (probes, readiness, the memory threshold's
// graceful restart); the unit carries what systemd does better: restarts, ordering, limits, the journal.
import { basename, dirname } from 'node:path';
import type { AppSpec, DependencySpec } from '../config/spec.js';
import { TendError } from '../protocol/errors.js';
import { systemdQuote } from '../startup/systemd-unit.js';
import { BACKOFF_FACTOR, backoffDelay } from '../supervisor/restart-policy.js';
import { commonWarnings } from './common-warnings.js';
import { leftOutNames, splitEnv } from './env.js';
import { hashComment } from './header.js';
import {
  APPS_NODE_ONLY,
  type ExportFile,
  type ExportInput,
  type ExportResult,
  type ExportWarning,
  RUNTIME_NODE_FLAGS,
} from './model.js';
import {
  GRACE_SECONDS_MAX,
  graceClamped,
  runtimeArgs,
  runtimeStopSignal,
  targetStopSeconds,
} from './shutdown.js';
import { boundedStartBudget } from './start-budget.js';
import { completesOnStart, timerUnit, type UnitKind, unitKind, waitedToComplete } from './systemd-oneshot.js';
import { assertUnitSafe, environmentValue, SYSTEMD_ENV_NAME, unitPath } from './unit-text.js';
import {
  CLUSTER_PRIMARY_RSS_MIB,
  type Clamped,
  memoryCapMiB,
  RUNTIME_RSS_MIB,
  SYSTEMD_SECONDS_MAX,
  systemdDuration,
  systemdSeconds,
  targetName,
} from './units.js';
import { storedUser, userProblem } from './user.js';

/** RestartSteps= and RestartMaxDelaySec= appeared in systemd 254. */
export const RESTART_STEPS_SINCE = 254;
/** Where a unit reads the variables that look secret (never written into the unit). */
export const secretsFile = (unit: string) => `/etc/tend/${unit}.env`;

/**
 * The unit's name for an app: characters a unit name cannot hold become `-`, and leading `-` and `.` are
 * dropped: systemctl reads `-x.service` as an option (`tend startup --service-name` refuses such a name),
 * and systemd skips a file whose name starts with a dot when it looks units up (sixth audit: `.hidden`
 * exported `.hidden.service`, which verify accepted and systemctl never found).
 * A `:` becomes `-` too, though systemd takes it in a unit name: `systemd-analyze verify` reads an argument
 * as FILE:ALIAS, so `worker:email.service` failed the export's own --check ("Couldn't process aliases"),
 * and any `systemd-analyze verify /etc/systemd/system/*.service` with it, for every unit of the command
 * (eighth audit). Renamed rather than verified from a copy under another name: the units then pass every
 * verify, the user's own as well as --check's, and the name gets the warning and the clash check (`a:b` and
 * `a-b` are one unit) of every other renamed name.
 */
export function unitName(app: string): string {
  const name = targetName(app, /[A-Za-z0-9_.-]/).name.replace(/^[-.]+/, '');
  return name === '' ? 'app' : name;
}

/** systemd's longest unit name (UNIT_NAME_MAX 256, the NUL included); a file name's limit is 255 too. */
export const UNIT_NAME_MAX = 255;

/** Refuses (TEND_ERR_EXPORT_UNSAFE_VALUE) an app whose unit file name systemd would not take. */
function assertUnitNameLength(app: AppSpec): void {
  const file = `${unitName(app.name)}.service`;
  if (file.length <= UNIT_NAME_MAX) return;
  throw new TendError('TEND_ERR_EXPORT_UNSAFE_VALUE', {
    app: app.name.length > 40 ? `${app.name.slice(0, 40)}…` : app.name,
    field: 'name',
    problem: `the unit would be named ${file.slice(0, 40)}… (${file.length} characters); systemd takes unit names of at most ${UNIT_NAME_MAX} characters`,
    fix: `rename the app to at most ${UNIT_NAME_MAX - '.service'.length} characters`,
  });
}

export function renderSystemd(input: ExportInput): ExportResult {
  const warnings: ExportWarning[] = [];
  const waited = waitedToComplete(input.apps);
  const kinds: Kinds = new Map(
    input.apps.map((a) => [a.name, unitKind(a, waited, input.systemdVersion, input.localTimeZone)]),
  );
  // Before anything is rendered: a name too long for systemd (and for the file system: ENAMETOOLONG).
  for (const app of input.apps) assertUnitNameLength(app);
  const files: ExportFile[] = input.apps.flatMap((app) => {
    const w = (field: string, message: string) => warnings.push({ app: app.name, field, message });
    const kind = kinds.get(app.name) as UnitKind;
    // A one-shot's cron_restart is its timer's schedule: not a field lost.
    warnings.push(
      ...commonWarnings(app, 'systemd', input.logDir).filter(
        (x) => x.field !== 'cron_restart' || app.autorestart,
      ),
    );
    if (kind.type === 'exec' && kind.cronKept !== undefined)
      w(
        'cron_restart',
        `no timer (${kind.cronKept}): kept by tend-runtime in the unit, which stays running for it (Type=exec)${waited.has(app.name) ? ', so the apps that wait for this one-shot to complete cannot: they are ordered by its start only' : ''}; write the timer by hand to have systemd run it`,
      );
    if (kind.type === 'timer' && kind.dst !== null)
      w(
        'cron_restart',
        `the timer is written, but is not exact: ${kind.dst}${app.cron_restart_tz === null ? ` (no cron_restart_tz: the machine's local zone, ${input.localTimeZone} here)` : ''}; for an exact timer, set cron_restart_tz to a zone without daylight saving time (e.g. UTC) or move the schedule out of those hours`,
      );
    const name = unitName(app.name);
    if (name !== app.name) w('name', `${renameReason(app.name)}: the unit is ${name}.service`);
    const service = { name: `${name}.service`, content: renderUnit(app, input, kinds, w) };
    if (kind.type !== 'timer') return [service];
    return [service, { name: `${name}.timer`, content: timerUnit(app, name, kind.calendar, input) }];
  });
  return { files, warnings };
}

/** Why the app's name is not its unit's (unitName renamed it). */
function renameReason(app: string): string {
  if (!/^[A-Za-z0-9:_.-]+$/.test(app)) return 'not a valid unit name';
  const lead = /^[-.]+/.exec(app)?.[0] ?? '';
  const why = [
    ...(lead.includes('-') ? ["systemctl reads a leading '-' as an option"] : []),
    ...(lead.includes('.') ? ['systemd skips unit files whose names start with a dot'] : []),
    ...(app.includes(':')
      ? [
          "systemd-analyze verify reads a ':' in a unit file's path as FILE:ALIAS and fails (\"Couldn't process aliases\")",
        ]
      : []),
  ];
  const what = lead !== '' ? 'not a valid unit name' : 'not a unit name every systemd tool takes';
  return `${what} (${why.join('; ')})`;
}

type Warn = (field: string, message: string) => void;
type Kinds = ReadonlyMap<string, UnitKind>;

function renderUnit(app: AppSpec, input: ExportInput, kinds: Kinds, w: Warn): string {
  const kind = kinds.get(app.name) as UnitKind;
  const env = splitEnv(app);
  // Before a line is written: a line break in a value would be a directive of its own.
  assertUnitSafe(app, input, env.plain, env.secret);
  const lines: string[] = [hashComment(input, 'systemd').trimEnd(), '[Unit]'];
  // `%` starts a specifier in Description= too (`sale%n` became the unit's name; `sale%z` failed verify).
  lines.push(`Description=${app.name.replaceAll('%', '%%')} (tend export)`);
  lines.push(...dependencyLines(app.depends_on, kinds, w));
  lines.push(...startLimitLines(app, input.systemdVersion, w), '');

  lines.push('[Service]');
  // notify: tend-runtime reports READY=1 once the app passed its readiness gate, whichever it is (wait_ready,
  // a log line, a probe, cluster workers listening), so After= in a dependent waits for readiness.
  const notify = kind.type === 'notify';
  // An app others wait to complete: a oneshot's start ends when it exits, so After= waits for that.
  if (kind.type === 'oneshot') lines.push('Type=oneshot', 'RemainAfterExit=yes');
  // Started by its timer at each tick: it must become inactive when it exits, or the next start is a no-op.
  // Type=oneshot only when another app waits for its exit: otherwise it would hold the boot for its run at
  // start (systemd-oneshot.ts).
  else if (kind.type === 'timer')
    lines.push(...(kind.oneshot ? ['Type=oneshot', 'RemainAfterExit=no'] : ['Type=exec']));
  else lines.push(`Type=${kind.type}`);
  if (notify) lines.push('NotifyAccess=all');
  // --health-listen off: every unit of a host would otherwise want the runtime's default 127.0.0.1:9616
  // (systemd reads readiness from READY=1, not HTTP); a unit that wants the endpoints sets its own port.
  const exec = [
    input.runtime.node,
    ...RUNTIME_NODE_FLAGS,
    input.runtime.entry,
    input.source,
    // The timer runs the schedule: the runtime runs the one-shot once and exits (--no-cron).
    ...runtimeArgs(app, input.envName, { cron: kind.type === 'timer' }),
    '--health-listen',
    'off',
  ];
  // The environment files (env_file, the secrets file) may set NODE_OPTIONS or NODE_EXTRA_CA_CERTS, which are
  // the apps' (APPS_NODE_ONLY): read by systemd into the runtime's environment, its own Node would load them
  // (tenth audit: an --inspect in an env_file opened the runtime's debugger). Moved aside as the bin's sh line
  // moves them; tend-runtime gives them back to the apps (an empty one is none: bin/tend-runtime.js).
  const readsFiles = app.env_file.length > 0 || env.secret.length > 0;
  const moveAside = readsFiles
    ? [
        '/usr/bin/env',
        ...APPS_NODE_ONLY.flatMap((k) => ['-u', k]),
        ...APPS_NODE_ONLY.map((k) => `TEND_${k}=\${${k}}`),
      ]
    : [];
  lines.push(`ExecStart=${[...moveAside, ...exec.map(systemdQuote)].join(' ')}`);
  lines.push(`WorkingDirectory=${unitPath(app.cwd, 'directory')}`);
  const user = input.user ?? unitUser(app, w);
  const stored = storedUser(app);
  if (input.user !== null && stored !== null && stored.value !== input.user)
    w(stored.field, `not written: --user ${input.user} is the unit's User=`);
  if (user !== null) lines.push(`User=${user}`);
  else if (stored === null) rootWarning(input, w);
  // The boot environment's PATH lacks a version manager's Node: the runtime's Node first.
  const path = [
    dirname(input.runtime.node),
    ...'/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'.split(':'),
  ];
  lines.push(`Environment=${environmentValue('PATH', [...new Set(path)].join(':'))}`);
  // NODE_OPTIONS and NODE_EXTRA_CA_CERTS are the app's: set here, the runtime's own Node would load them
  // (an APM agent's --require, an --inspect port); tend-runtime gives them to the app from the file.
  // A name systemd does not take (`my-var`, `a.b`) is left out, warned: systemd would ignore it with a
  // warning at every load, and tend-runtime gives the app the variable from the file anyway.
  const takes = (k: string) => SYSTEMD_ENV_NAME.test(k);
  const badNames = leftOutNames(
    env.plain.map(([k]) => k),
    takes,
    w,
    'not a name systemd takes (letters, digits and "_", not starting with a digit): left out of Environment=; tend-runtime still gives it to the app from the ecosystem file',
  );
  for (const [k, v] of env.plain)
    if (!APPS_NODE_ONLY.includes(k) && !badNames.has(k)) lines.push(`Environment=${environmentValue(k, v)}`);
  // systemd reads the files (as root, before User=) and tend-runtime is told not to (--no-env-file).
  for (const file of app.env_file) lines.push(`EnvironmentFile=${unitPath(file)}`);
  const badSecrets = leftOutNames(
    env.secret,
    takes,
    w,
    `looks secret, but is not a name systemd takes (letters, digits and "_", not starting with a digit): it cannot be set from ${secretsFile(unitName(app.name))}; tend-runtime gives the app the ecosystem file's value (rename the variable to set it there)`,
  );
  if (env.secret.length > badSecrets.size) {
    const secret = env.secret.filter((k) => !badSecrets.has(k));
    const file = secretsFile(unitName(app.name));
    lines.push(`# ${secret.join(', ')}: look secret, set in ${file} (never written here)`);
    lines.push(`EnvironmentFile=${file}`);
    w(
      `env.${secret.join(', env.')}`,
      `looks secret: not written into the unit; put ${secret.map((n) => `${n}=…`).join(' ')} in ${file} (mode 0600), which the unit reads (EnvironmentFile)`,
    );
  }
  lines.push(...restartLines(app, input.systemdVersion, w));
  if (notify) lines.push(`TimeoutStartSec=${startTimeout(app, w)}`);
  // No TimeoutStartSec= for a Type=oneshot unit (systemd's default: none): a job may take as long as it
  // takes, and tend gives it no deadline either; the apps waiting for it wait as long.
  // mixed: the stop signal to tend-runtime alone (it stops the app with kill_signal within its grace
  // period), SIGKILL to the whole cgroup only when TimeoutStopSec runs out.
  if (graceClamped(app))
    w(
      'kill_timeout',
      `TimeoutStopSec=infinity: longer than systemd takes (at most ${SYSTEMD_SECONDS_MAX} s); tend-runtime's --grace-period is ${GRACE_SECONDS_MAX}s (~292 years)`,
    );
  lines.push(`TimeoutStopSec=${graceClamped(app) ? 'infinity' : targetStopSeconds(app)}`, 'KillMode=mixed');
  const signal = runtimeStopSignal(app);
  lines.push(`KillSignal=${signal ?? 'SIGTERM'}`);
  if (!signal) lines.push(`# tend-runtime stops ${app.name} with ${app.kill_signal} (kill_signal)`);
  if (app.max_memory_restart > 0 && input.cpuRelative.includes(app.name))
    w(
      'max_memory_restart',
      'no MemoryMax=: instances follow the CPUs of the machine that runs the unit, so the total is unknown here (tend-runtime still restarts each instance past the threshold)',
    );
  else if (app.max_memory_restart > 0) {
    const primary = app.exec_mode === 'cluster';
    const instances = app.instances > 1 ? ` × ${app.instances} instances` : '';
    lines.push(
      `# tend-runtime restarts an instance past max_memory_restart (${Math.ceil(app.max_memory_restart / 1048576)}M); the hard cap is 1.2 × that${instances} + ${RUNTIME_RSS_MIB}M for tend-runtime${primary ? ` + ${CLUSTER_PRIMARY_RSS_MIB}M for the cluster primary` : ''}`,
      `MemoryMax=${memoryCapMiB(app.max_memory_restart, app.instances, primary)}M`,
    );
  }
  lines.push(`SyslogIdentifier=${unitName(app.name)}`, '', '[Install]', 'WantedBy=multi-user.target', '');
  return lines.join('\n');
}

/**
 * A unit without User= runs as root (a system unit): for a user other than root who exports, the apps `tend
 * start` ran as that user would gain root's rights, silently (seventh audit). Root exporting is taken to
 * mean it.
 */
function rootWarning(input: ExportInput, w: Warn): void {
  const who = input.exporter;
  if (who === undefined || who === null || who.uid === 0) return;
  const name = userProblem(who.name) === null ? who.name : String(who.uid);
  w(
    'user',
    `no User=: the unit runs as root, where tend start runs the app as ${who.name} (uid ${who.uid}), who exports; pass --user ${name} (User= for every unit), or set user: in the app`,
  );
}

/** The app's PM2 user field as User=, or null (warned when it is there but not a user name systemd takes). */
function unitUser(app: AppSpec, w: Warn): string | null {
  const stored = storedUser(app);
  if (stored === null) return null;
  const problem = userProblem(stored.value);
  if (problem === null) return stored.value;
  w(
    stored.field,
    `not written as User= (${JSON.stringify(stored.value)}: ${problem}); the unit runs as root unless --user is given`,
  );
  return null;
}

/**
 * TimeoutStartSec= of a Type=notify unit: the app's own deadline to become ready (listen_timeout, or its
 * startup probe's budget) plus 5 s for Node and the runtime to start, and where tend waits without one (a
 * readiness probe alone), the probe's first window (start-budget.ts, compose's start_period too). Never
 * `infinity` (sixth audit): multi-user.target is ordered after the units it wants, so one probe that never
 * passed kept the boot "starting" forever; past the window the start fails and Restart= applies.
 */
function startTimeout(app: AppSpec, w: Warn): string {
  return systemdSeconds(boundedStartBudget(app), 0, tooLong(w, 'listen_timeout', 'TimeoutStartSec'));
}

/** The warning for a duration past what systemd parses (units.ts), written `infinity`. */
const tooLong =
  (w: Warn, field: string, key: string): Clamped =>
  (written) =>
    w(field, `${key}=${written}: longer than systemd takes (at most ${SYSTEMD_SECONDS_MAX} s)`);

/**
 * Ordering and requirement lines for depends_on (systemd.unit(5)). After= waits for the dependency's start-up
 * job to finish: its READY=1 when it is Type=notify, its exit when it is Type=oneshot (a one-shot another app
 * waits to complete, systemd-oneshot.ts), its exec when it is Type=exec. Requires= fails this unit's start
 * when that job fails, which a oneshot's does when it exits non-zero: right for
 * process_completed_successfully, wrong for process_completed ("exited, whatever the code"; sixth audit:
 * seed exiting 1 failed api with "Dependency failed"), which gets Wants=, whatever `required` says (a
 * oneshot's failed start and its non-zero exit are one state to systemd).
 */
function dependencyLines(deps: readonly DependencySpec[], kinds: Kinds, w: Warn): string[] {
  const unit = (d: DependencySpec) => `${unitName(d.name)}.service`;
  const pick = (f: (d: DependencySpec) => boolean) => deps.filter(f).map(unit).sort();
  const after = ['network-online.target', ...pick(() => true)];
  const lines = [`After=${after.join(' ')}`, 'Wants=network-online.target'];
  const anyExit = (d: DependencySpec) => d.condition === 'process_completed';
  const requires = pick((d) => d.required && !d.bind && !anyExit(d));
  const wants = pick((d) => (!d.required || anyExit(d)) && !d.bind);
  const binds = pick((d) => d.bind);
  const partOf = pick((d) => d.restart);
  if (requires.length) lines.push(`Requires=${requires.join(' ')}`);
  if (wants.length) lines.push(`Wants=${wants.join(' ')}`);
  if (binds.length) lines.push(`BindsTo=${binds.join(' ')}`);
  if (partOf.length) lines.push(`PartOf=${partOf.join(' ')}`);
  for (const d of deps) {
    const gap = orderingGap(d.condition, kinds.get(d.name), basename(unit(d)));
    if (gap !== null) w(`depends_on.${d.name}`, `condition ${d.condition}: ${gap}`);
    if (d.timeout_ms > 0) w(`depends_on.${d.name}.timeout_seconds`, 'no equivalent in systemd; not exported');
  }
  return lines;
}

/** What After= waits for, when it is not what tend waits for (null: the same). */
function orderingGap(condition: DependencySpec['condition'], dep: UnitKind | undefined, unit: string) {
  const completes = dep !== undefined && completesOnStart(dep);
  if (condition === 'process_completed' || condition === 'process_completed_successfully') {
    if (completes) return null;
    return dep?.type === 'notify'
      ? `${unit} is Type=notify (it keeps running): After= waits for its readiness (READY=1), not for it to exit`
      : `${unit} is Type=exec (it keeps running, or tend-runtime keeps its schedule): After= waits for it to be started, not for it to exit`;
  }
  if (completes)
    return `${unit} is Type=oneshot (its start-up ends when it exits): After= waits for it to exit, later than tend starts this app`;
  // process_started: After= on a notify unit waits for its readiness, a little later: harmless.
  if (condition === 'process_started' || dep?.type === 'notify') return null;
  return `${unit} is Type=exec (no readiness gate): After= waits for it to be started only`;
}

/** What the runtime adds to each start before the app's own uptime counts (Node, tend-runtime, the file). */
const RUNTIME_START_MS = 1000;

/**
 * StartLimitBurst= and StartLimitIntervalSec= for tend's max_restarts and min_uptime. tend restarts after
 * max_restarts unstable exits (uptime < min_uptime) in a row and gives up at the next one; systemd counts
 * starts, the first included, and refuses the one past the burst within the interval. So the burst is
 * max_restarts + 1 (the first start and max_restarts restarts: the next start, after the unstable exit that
 * makes tend give up, is refused), and the interval covers those starts if each run is unstable: the
 * runtime's start, min_uptime, and the restart delay systemd waits (RestartSec=, growing with
 * RestartSteps=). Never 0: StartLimitBurst=0 turns the rate limit off (an endless crash loop, the
 * opposite of max_restarts: 0, which gives up at the first unstable exit).
 */
function startLimitLines(app: AppSpec, version: number | null, w: Warn): string[] {
  // Nothing restarts a one-shot: no crash loop to limit, and a timer's starts would count towards one.
  if (!app.autorestart) return ['StartLimitIntervalSec=0'];
  // StartLimitBurst= is an unsigned int.
  const burst = Math.min(app.max_restarts + 1, BURST_MAX);
  if (burst < app.max_restarts + 1)
    w('max_restarts', `StartLimitBurst=${BURST_MAX}: the most systemd takes (max_restarts + 1 is more)`);
  const backoff = app.exp_backoff_restart_delay > 0 && version !== null && version >= RESTART_STEPS_SINCE;
  let ms = 0;
  for (let n = 1; n <= burst; n++) {
    const delay = backoff
      ? backoffDelay(app.exp_backoff_restart_delay, app.exp_backoff_max_delay, n)
      : firstRestartDelay(app);
    const start = RUNTIME_START_MS + app.min_uptime + delay;
    // Once the delay no longer grows, every start left adds as much: at once (one start at a time, a
    // max_restarts of 1e15 never finished rendering).
    if (!backoff || delay >= app.exp_backoff_max_delay) {
      ms += start * (burst - n + 1);
      break;
    }
    ms += start;
  }
  const interval = systemdSeconds(ms, 1, tooLong(w, 'max_restarts, min_uptime', 'StartLimitIntervalSec'));
  return [`StartLimitIntervalSec=${interval}`, `StartLimitBurst=${burst}`];
}

/**
 * The delay before tend's first restart: restart_delay, or with exp_backoff_restart_delay its start, never
 * above exp_backoff_max_delay (backoffDelay caps every delay, the first too; eighth audit: a start of 20 s
 * over a 1 s cap was written as RestartSec=20s, and systemd waited 20 s where tend waits 1).
 */
function firstRestartDelay(app: AppSpec): number {
  if (app.exp_backoff_restart_delay === 0) return app.restart_delay;
  return Math.min(app.exp_backoff_restart_delay, app.exp_backoff_max_delay);
}

/** systemd's UINT_MAX (StartLimitBurst= is an unsigned int). */
const BURST_MAX = 4_294_967_295;

function restartLines(app: AppSpec, version: number | null, w: Warn): string[] {
  if (!app.autorestart) return ['Restart=no'];
  // tend restarts after any exit (as PM2) but those in stop_exit_codes.
  const lines = ['Restart=always'];
  if (app.stop_exit_codes.length > 0)
    lines.push(`RestartPreventExitStatus=${[...app.stop_exit_codes].sort((a, b) => a - b).join(' ')}`);
  if (app.exp_backoff_restart_delay === 0) {
    lines.push(`RestartSec=${systemdDuration(app.restart_delay, tooLong(w, 'restart_delay', 'RestartSec'))}`);
    return lines;
  }
  const base = firstRestartDelay(app);
  if (base >= app.exp_backoff_max_delay) {
    // A start above the cap: tend waits the cap every time (backoffDelay), a constant delay, as systemd's
    // RestartSec= alone (RestartMaxDelaySec= under RestartSec= is reset by systemd ≥ 254 at every load).
    const field =
      base < app.exp_backoff_restart_delay ? 'exp_backoff_max_delay' : 'exp_backoff_restart_delay';
    lines.push(`RestartSec=${systemdDuration(base, tooLong(w, field, 'RestartSec'))}`);
    return lines;
  }
  lines.push(`RestartSec=${systemdDuration(base, tooLong(w, 'exp_backoff_restart_delay', 'RestartSec'))}`);
  // systemd multiplies the delay by (max / base)^(1 / steps) at each restart; tend by BACKOFF_FACTOR (1.5):
  // as many steps as tend takes to reach the cap (log2 made systemd's delays grow faster than tend's).
  const steps = Math.max(
    1,
    Math.ceil(Math.log(app.exp_backoff_max_delay / base) / Math.log(BACKOFF_FACTOR) - 1e-9),
  );
  const maxDelay = systemdDuration(
    app.exp_backoff_max_delay,
    tooLong(w, 'exp_backoff_max_delay', 'RestartMaxDelaySec'),
  );
  const backoff = [`RestartSteps=${steps}`, `RestartMaxDelaySec=${maxDelay}`];
  if (version !== null && version >= RESTART_STEPS_SINCE) return [...lines, ...backoff];
  const why = version === null ? 'systemd version unknown' : `systemd ${version}`;
  w(
    'exp_backoff_restart_delay',
    `exponential backoff needs systemd ≥ ${RESTART_STEPS_SINCE} (${why}; --systemd-version N): restarts every ${systemdDuration(base)}`,
  );
  return [...lines, `# systemd ≥ ${RESTART_STEPS_SINCE} only (${why}): ${backoff.join(' ')}`];
}
