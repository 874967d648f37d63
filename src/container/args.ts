// tend-runtime's command line (issue 15), parsed with node:util's parseArgs: the runtime is one command, and
// commander would cost start-up time for nothing. PM2's pm2-runtime flags that have an equivalent are taken
// (`--json`, `--format`, `--raw`, `--no-auto-exit`, `--env`, `--only`); PM2 Plus flags and `--web` are
// accepted and do nothing (a warning says so). Anything else is a usage error (TEND_ERR_USAGE).
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/duration.js';
import { TendError } from '../protocol/errors.js';
import { parseArgsProblem, type ValueWords } from '../runtime/parse-args-usage.js';
import { printable } from '../runtime/printable.js';
import { HEALTH_PORT, parseListen } from '../settings/address.js';

export type RestartMode = 'orchestrator' | 'policy';
/** raw: the apps' lines as they are; prefixed: `name | ` first; json: one object per line. */
export type LogFormat = 'raw' | 'prefixed' | 'json';

export const DEFAULT_GRACE_MS = 25_000;
export const DEFAULT_HEALTH_LISTEN = `127.0.0.1:${HEALTH_PORT}`;

export interface RuntimeOptions {
  /** An ecosystem file, a script, a command string or a directory, as `tend start` takes them. */
  target: string;
  /** Arguments for a script, after `--`. */
  scriptArgs: string[];
  only: string[] | null;
  /** --no-deps: only the --only apps, not what they depend on (their dependencies are the orchestrator's). */
  noDeps: boolean;
  /** --no-env-file: the apps' env_file is not read (the orchestrator set those variables already). */
  envFiles: boolean;
  /** --secrets-from-env: secret-looking variables take the environment's value over the file's. */
  secretsFromEnv: boolean;
  /** --no-cron: cron_restart is not scheduled here (the orchestrator runs the apps on schedule). */
  cron: boolean;
  /** --single-instance: one instance of each app, in fork mode (the orchestrator's replicas are the rest). */
  singleInstance: boolean;
  envName: string | null;
  /** null: orchestrator for one app × one instance, else policy (decided once the apps are known). */
  restart: RestartMode | null;
  graceMs: number;
  shutdownDelayMs: number;
  /** `host:port`, or null (off). */
  healthListen: string | null;
  /** Given by --health-listen or $TEND_HEALTH_LISTEN: failing to bind it is fatal (the default is not). */
  healthExplicit: boolean;
  /** null: prefixed when more than one instance runs, else raw. */
  logFormat: LogFormat | null;
  /** Stay up when every app has ended (PM2's --no-auto-exit). */
  autoExit: boolean;
  /** Serve the control socket in $TEND_HOME (`tend ls` inside the container). */
  control: boolean;
  /** App fields from pm2-runtime's app flags (-i, -n, --node-args…): a script's, or every app of a file's. */
  appFields: Record<string, unknown>;
  /** Warnings to print once (ignored PM2 Plus flags). */
  warnings: string[];
}

/** `help`: --help (the usage), or -v/--version (pm2-runtime's flag too): print and exit 0. */
export type Parsed = { help: 'usage' | 'version' } | { help: false; options: RuntimeOptions };

export const USAGE = `usage: tend-runtime <ecosystem file | script> [options] [-- script args]
       tend-runtime probe [--ready|--live|--startup] [--app NAME] [--health-listen ADDR]
       tend-runtime plan <ecosystem file | script> [options] [--out FILE]   (tend-runtime plan --help)

Runs the apps in the foreground, without a daemon: logs go to stdout/stderr, the exit code is the app's.

options:
  --only <a,b>              only these apps of the file (and what they depend on)
  --no-deps                 with --only: not what they depend on; their depends_on are taken as met
                            (one app per unit, pod or compose service: \`tend export\` writes this)
  --no-env-file             do not read the apps' env_file: the orchestrator has set those variables
                            (systemd EnvironmentFile=, a pod's envFrom, compose env_file:)
  --secrets-from-env        a variable that looks secret takes the value in the environment (a Secret,
                            an EnvironmentFile) over the ecosystem file's
  --no-cron                 do not schedule cron_restart: the orchestrator runs the apps on schedule
                            (a Kubernetes CronJob); each runs once
  --single-instance         one instance of each app, in fork mode, whatever its instances say: the
                            orchestrator's replicas are the instances (a Deployment \`tend export\` wrote)
  --env <name>              use env_<name> from the ecosystem file
  --restart <mode>          orchestrator: no restart in place, exit with the app's code when it exits
                            (default for one app x one instance); policy: apps restart per their policy,
                            exit when one becomes errored (default otherwise)
  --grace-period <dur>      on SIGTERM/SIGINT/SIGQUIT, stop within this, then SIGKILL (default 25s)
  --shutdown-delay <dur>    on a stop (SIGTERM, SIGINT, SIGQUIT, tend kill), answer 503 on /readyz for
                            this long before stopping the apps (default 0s; a second signal skips it)
  --health-listen <addr>    /livez /readyz /startupz /metrics on host:port, or off
                            (default $TEND_HEALTH_LISTEN, else ${DEFAULT_HEALTH_LISTEN})
  --log-format <fmt>        raw (lines as written; one over 64 KiB in pieces ending "…[cut]"), prefixed
                            ("name | line"), json (one object a line);
                            default: prefixed when more than one instance runs, else raw
  --control                 serve tend's control socket in $TEND_HOME (tend ls, tend logs inside the
                            container); on by default when TEND_HOME is set
  --no-control              never serve the control socket
  --no-auto-exit            stay up when every app has ended (only a signal ends the runtime); an app
                            that failed fails /readyz until it starts again
  -v, --version             tend's version
  -h, --help                this help

pm2-runtime flags: --json (= --log-format json), --format and --formatted (= prefixed), --raw (= raw),
--no-auto-exit, --env, --only; -i/--instances, -n/--name (a script only), --node-args, --interpreter,
--max-memory-restart, --no-autorestart, -c/--cron, --watch, --stop-exit-codes set the app fields of the
same names (with an ecosystem file, of every app it runs, as tend start does); --public [key],
--secret [key], --machine-name [name], --deep-monitoring, --trace, --v8, --no-autostart, --delay,
--output and --error are accepted and do nothing (a warning says so); --web [port] too: use
--health-listen (/livez, /readyz, /startupz, /metrics) instead.

environment: TEND_RUNTIME_PLAN names a launch plan (tend-runtime plan): the app starts from it before
tend-runtime's own Node, in the time of \`node app.js\` (docs/kubernetes.md).

exit codes: the app's own (128+N when killed by signal N) when it exits; 0 after a clean shutdown by
signal, 1 when something had to be SIGKILLed; 0 when one-shot apps all completed; 2 on a usage or config
error; 1 when an app could not start.`;

const usage = (detail: string) =>
  new TendError('TEND_ERR_USAGE', { detail: `${printable(detail)} (see "tend-runtime --help")` });

/**
 * A duration flag's value. A bare number is refused (but 0): kubectl's --grace-period and docker's --time
 * count seconds, tend's durations elsewhere milliseconds, and guessing wrong SIGKILLs an app 1000 times early.
 */
function duration(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (/^\d+(\.\d+)?$/.test(text.trim()) && Number(text) !== 0)
    throw usage(`--${flag} ${text}: give a unit, such as ${text}s (seconds) or ${text}ms`);
  const ms = parseDuration(text);
  if (ms === null)
    throw usage(
      `--${flag} ${text}: expected a duration such as 500ms, 25s or 1m${/^\s*-/.test(text) ? ', not negative (0 for none)' : ''}`,
    );
  return ms;
}

/** pm2-runtime's app flags → the app fields they set (PM2's Runtime4Docker options with a tend field). */
function appFieldsOf(v: ReturnType<typeof parse>['values']): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (v.instances !== undefined)
    f.instances = /^-?\d+$/.test(v.instances) ? Number(v.instances) : v.instances;
  if (v.name !== undefined) f.name = v.name;
  if (v['node-args'] !== undefined) f.node_args = v['node-args'];
  if (v.interpreter !== undefined) f.interpreter = v.interpreter;
  if (v['max-memory-restart'] !== undefined) f.max_memory_restart = v['max-memory-restart'];
  if (v['no-autorestart']) f.autorestart = false;
  if (v.cron !== undefined) f.cron_restart = v.cron;
  if (v.watch) f.watch = true;
  if (v['stop-exit-codes'] !== undefined)
    f.stop_exit_codes = v['stop-exit-codes']
      .flatMap((c) => c.split(/[\s,]+/))
      .filter((c) => c !== '')
      .map((c) => (/^\d+$/.test(c) ? Number(c) : c));
  return f;
}

/**
 * pm2-runtime's flags whose value is optional (commander's `--secret [key]`), which node's parseArgs cannot
 * declare: the next word is the value when it is no option (for --web, only a port number), else the flag
 * has none (sixth audit: `--secret` alone was "argument is ambiguous", `--web` an unknown option).
 */
const OPTIONAL_VALUE: ReadonlyMap<string, RegExp> = new Map([
  ['--secret', /^[^-]/],
  ['--public', /^[^-]/],
  ['--machine-name', /^[^-]/],
  ['--web', /^\d+$/],
]);

/**
 * argv as parseArgs can take it, before `--` only. PM2's `-i -1` (all CPUs but one), as users write it:
 * parseArgs reads `-1` as an option and refuses it as ambiguous (third audit), so a negative count after
 * -i/--instances is joined to it. A flag with an optional value gets it joined, or an empty one.
 */
function normalArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    const optional = OPTIONAL_VALUE.get(a);
    if ((a === '-i' || a === '--instances') && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`--instances=${next}`);
      i++;
    } else if (optional) {
      // An empty word is a value, as commander takes it (`--secret "$PM2_SECRET_KEY"` with the variable
      // unset: the ninth audit's "unexpected argument" named the script instead).
      const takes = next !== undefined && (next === '' || optional.test(next));
      out.push(`${a}=${takes ? next : ''}`);
      if (takes) i++;
    } else out.push(a);
  }
  return out;
}

/**
 * Whether argv asks for JSON lines (--json, --log-format json), read before `--` without parsing: a usage
 * error is reported before the options are known, and must be JSON too then (best effort).
 */
export function asksJson(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return false;
    if (a === '--json' || a === '--log-format=json') return true;
    if (a === '--log-format' && argv[i + 1] === 'json') return true;
  }
  return false;
}

/** Parses argv (after the program name). Throws TEND_ERR_USAGE. */
export function parseRuntimeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Parsed {
  let parsed: ReturnType<typeof parse>;
  const words = normalArgv(argv);
  try {
    parsed = parse(words);
  } catch (err) {
    throw usage(parseArgsProblem(err, words, OPTIONS, VALUE_WORDS, UNSIGNED));
  }
  const { values: v, tokens } = parsed;
  if (v.help) return { help: 'usage' };
  if (v.version) return { help: 'version' };
  // Positionals after `--` are the script's arguments; before it, only the target.
  const dashDash = tokens.findIndex((t) => t.kind === 'option-terminator');
  const before = tokens.filter((t, i) => t.kind === 'positional' && (dashDash === -1 || i < dashDash)) as {
    value: string;
  }[];
  const after = tokens.filter((t, i) => t.kind === 'positional' && dashDash !== -1 && i > dashDash) as {
    value: string;
  }[];
  // `tend-runtime help`, as `tend help` (third audit: "script not found: help").
  if (before.length === 1 && before[0]?.value === 'help' && after.length === 0) return { help: 'usage' };
  // pm2-runtime's documented form: `pm2-runtime start ecosystem.config.js`.
  // With more words after it too, so that the unexpected one is named (ninth audit: the script was).
  if (before.length >= 2 && before[0]?.value === 'start') before.shift();
  if (before.length === 0 && after.length === 0) throw usage('missing the ecosystem file or script to run');
  const [target, ...extra] = before.length > 0 ? before : after.splice(0, 1);
  if (extra.length > 0)
    throw usage(
      `unexpected argument ${JSON.stringify(extra[0]?.value)}: arguments for the script go after --`,
    );
  // An empty word (an unset variable in a Dockerfile's CMD) is no script: it ran the current directory.
  if ((target as { value: string }).value.trim() === '')
    throw usage('the ecosystem file or script is an empty word: give its path');

  const formats = [
    v['log-format'] !== undefined && `--log-format ${v['log-format']}`,
    v.json && '--json',
    v.format && '--format',
    v.formatted && '--formatted',
    v.raw && '--raw',
  ].filter(Boolean);
  if (formats.length > 1) throw usage(`${formats.join(' and ')} cannot be given together`);
  let logFormat: LogFormat | null = null;
  if (v['log-format'] !== undefined) {
    if (!['raw', 'prefixed', 'json'].includes(v['log-format']))
      throw usage(`--log-format ${v['log-format']}: expected raw, prefixed or json`);
    logFormat = v['log-format'] as LogFormat;
  } else if (v.json) logFormat = 'json';
  else if (v.format || v.formatted) logFormat = 'prefixed';
  else if (v.raw) logFormat = 'raw';

  const restart = v.restart ?? null;
  if (restart !== null && restart !== 'orchestrator' && restart !== 'policy')
    throw usage(`--restart ${restart}: expected orchestrator or policy`);

  // An empty variable is no setting (third audit: TEND_HEALTH_LISTEN= was a usage error, TEND_HOME= turned
  // the control socket on in ~/.tend).
  const envListen = env.TEND_HEALTH_LISTEN || undefined;
  const listenText = v['health-listen'] ?? envListen ?? DEFAULT_HEALTH_LISTEN;
  let healthListen: string | null = null;
  if (listenText !== 'off') {
    const address = parseListen(listenText, HEALTH_PORT);
    const from = v['health-listen'] !== undefined ? '--health-listen' : 'TEND_HEALTH_LISTEN';
    if (typeof address === 'string') throw usage(`${from} ${listenText}: ${address}, or off`);
    healthListen = listenText;
  }

  const only = (v.only ?? []).flatMap((o) => o.split(',')).map((o) => o.trim());
  // An empty name is a mistake, not "every app" (third audit: --only= ran them all).
  if (only.some((o) => o === ''))
    throw usage(
      `--only ${JSON.stringify((v.only ?? []).join(','))}: an empty app name; give the names, comma-separated`,
    );
  if (v['single-instance'] && v.instances !== undefined)
    throw usage('--single-instance and -i/--instances cannot be given together');
  if (v['no-deps'] && only.length === 0)
    throw usage('--no-deps needs --only: it names the apps that run without what they depend on');
  const warnings: string[] = [];
  const plus = [
    v.public !== undefined && '--public',
    v.secret !== undefined && '--secret',
    v['machine-name'] !== undefined && '--machine-name',
    v['deep-monitoring'] && '--deep-monitoring',
  ].filter(Boolean);
  if (plus.length > 0)
    warnings.push(
      `${plus.join(', ')}: ${plus.length > 1 ? 'PM2 Plus flags' : 'a PM2 Plus flag'}, accepted and ignored (tend has no PM2 Plus link)`,
    );
  const inert = [
    v.trace && '--trace',
    v.v8 && '--v8',
    v['no-autostart'] && '--no-autostart',
    v.delay !== undefined && '--delay',
    v.output !== undefined && '--output',
    v.error !== undefined && '--error',
  ].filter(Boolean);
  // pm2-runtime's web API (its metrics and process list on 9615): tend-runtime's is the health listener.
  if (v.web !== undefined)
    warnings.push(
      `--web${v.web ? ` ${v.web}` : ''}: pm2-runtime's web API is not served, accepted and ignored; use --health-listen HOST:PORT (/livez, /readyz, /startupz, /metrics)`,
    );
  if (inert.length > 0)
    warnings.push(
      `${inert.join(', ')}: pm2-runtime flags with no tend-runtime equivalent, accepted and ignored (logs go to stdout and stderr only; apps start at once)`,
    );

  return {
    help: false,
    options: {
      target: (target as { value: string }).value,
      scriptArgs: after.map((t) => t.value),
      only: only.length > 0 ? only : null,
      noDeps: Boolean(v['no-deps']),
      envFiles: !v['no-env-file'],
      secretsFromEnv: Boolean(v['secrets-from-env']),
      cron: !v['no-cron'],
      singleInstance: Boolean(v['single-instance']),
      envName: v.env ?? null,
      restart,
      graceMs: duration('grace-period', v['grace-period'], DEFAULT_GRACE_MS),
      shutdownDelayMs: duration('shutdown-delay', v['shutdown-delay'], 0),
      healthListen,
      healthExplicit: v['health-listen'] !== undefined || envListen !== undefined,
      logFormat,
      autoExit: !v['no-auto-exit'],
      control: v['no-control'] ? false : Boolean(v.control) || Boolean(env.TEND_HOME),
      appFields: appFieldsOf(v),
      warnings,
    },
  };
}

/** tend-runtime's options, for parseArgs (pm2-runtime's after the comment). */
const OPTIONS = {
  only: { type: 'string', multiple: true },
  'no-deps': { type: 'boolean' },
  'no-env-file': { type: 'boolean' },
  'secrets-from-env': { type: 'boolean' },
  'no-cron': { type: 'boolean' },
  'single-instance': { type: 'boolean' },
  env: { type: 'string' },
  restart: { type: 'string' },
  'grace-period': { type: 'string' },
  'shutdown-delay': { type: 'string' },
  'health-listen': { type: 'string' },
  'log-format': { type: 'string' },
  control: { type: 'boolean' },
  'no-control': { type: 'boolean' },
  'no-auto-exit': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  // pm2-runtime's
  json: { type: 'boolean' },
  format: { type: 'boolean' },
  formatted: { type: 'boolean' },
  raw: { type: 'boolean' },
  instances: { type: 'string', short: 'i' },
  name: { type: 'string', short: 'n' },
  'node-args': { type: 'string' },
  interpreter: { type: 'string' },
  'max-memory-restart': { type: 'string' },
  'no-autorestart': { type: 'boolean' },
  cron: { type: 'string', short: 'c' },
  watch: { type: 'boolean' },
  'stop-exit-codes': { type: 'string', multiple: true },
  trace: { type: 'boolean' },
  v8: { type: 'boolean' },
  'no-autostart': { type: 'boolean' },
  delay: { type: 'string' },
  output: { type: 'string' },
  error: { type: 'string' },
  public: { type: 'string' },
  secret: { type: 'string' },
  'machine-name': { type: 'string' },
  'deep-monitoring': { type: 'boolean' },
  web: { type: 'string' },
} as const;

/** Options whose value never starts with a dash: a negative one is refused as such (parse-args-usage.ts). */
const UNSIGNED: ReadonlySet<string> = new Set(['grace-period', 'shutdown-delay', 'max-memory-restart']);

/** What each option's value is, for "--x: expected a value (…)" (eighth audit). */
const VALUE_WORDS: ValueWords = {
  only: 'app names, comma-separated',
  env: 'the <name> of an env_<name> section',
  restart: 'orchestrator or policy',
  'grace-period': 'a duration, such as 25s',
  'shutdown-delay': 'a duration, such as 5s',
  'health-listen': 'host:port, or off',
  'log-format': 'raw, prefixed or json',
  instances: 'a number of instances, or max',
  name: 'an app name',
  'node-args': "Node's options, such as --node-args=--max-old-space-size=512",
  interpreter: 'a program, or none',
  'max-memory-restart': 'a size, such as 300M',
  cron: 'a cron expression',
  'stop-exit-codes': 'exit codes, comma-separated',
};

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    tokens: true,
    options: OPTIONS,
  });
}
