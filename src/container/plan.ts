// `tend-runtime plan <ecosystem file | script> [flags] [--out FILE]`: the launch plan (issue 15, the start
// figure). tend-runtime's Node must read the config before it knows what to spawn, so without a plan the app's
// own Node starts only after the runtime's has (×2 of `node app.js`, docs/performance.md). A plan, written at
// image build time, is the app's launch as sh can run it: bin/tend-runtime.js's first line (sh) starts the app
// from it at once, before Node, and the runtime adopts that process (adopted.ts) once it has read the config
// itself and found the same launch.
//
// What keeps a plan from starting the wrong thing:
//   - before it starts anything, sh checks what the plan was made from: the arguments, the working directory,
//     the checksums (cksum) of the config file, the files it required and the env files, and the value of
//     every environment variable the config's code read while it was evaluated. Any difference: no plan, the
//     runtime starts as without one (TEND_RUNTIME_PLAN_SKIPPED says why, and the runtime prints it);
//   - once the runtime has read the config, it compares the launch it would make with the process the kernel
//     shows (/proc/<pid>/cmdline, environ, cwd): a difference (a config that reads something sh cannot check:
//     a file through fs, the clock, the host name) ends that process (SIGKILL to its group) and starts the
//     right one, with a warning.
// The plan is for what a pod runs: one app, one instance, fork mode (the recommended layout, docs/kubernetes.md).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the plan is sh, whose ${…} are its own
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDotenv } from '../config/dotenv.js';
import type { AppSpec } from '../config/spec.js';
import { isTendError, TendError } from '../protocol/errors.js';
import { looksSecret, maskedArgs } from '../protocol/secrets.js';
import { shebangLine } from '../runtime/spawn-error.js';
import { launchOf, needsIpc, notifyPipe } from '../supervisor/launch.js';
import { VERSION } from '../version.js';
import { parseRuntimeArgs, type RuntimeOptions } from './args.js';

/** The variable that names the plan tend-runtime's first line reads (Dockerfile: ENV TEND_RUNTIME_PLAN=…). */
export const PLAN_VAR = 'TEND_RUNTIME_PLAN';
export const DEFAULT_PLAN_FILE = 'tend-runtime.plan';

/**
 * tend's own variables, unset for the app by the plan's launch whatever the environment holds then: the
 * runtime gives its apps its environment less every TEND_ variable (load-apps.ts), which sh cannot enumerate.
 * Any other difference shows in the runtime's comparison (adopted.ts): a restart, not a wrong app.
 */
const TEND_VARIABLES = [
  'TEND_AFTER_FD',
  'TEND_APP',
  'TEND_APP_NAME',
  'TEND_AT',
  'TEND_CAUSES',
  'TEND_CONFIG_LOAD_TIMEOUT_MS',
  'TEND_DAEMON_ENTRY',
  'TEND_DEBUG',
  'TEND_EVENT',
  'TEND_EXIT_CODE',
  'TEND_HEALTH_LISTEN',
  'TEND_HOME',
  'TEND_HOST',
  'TEND_ID',
  'TEND_INSTANCE',
  'TEND_INSTANCE_ID',
  'TEND_KEY',
  'TEND_LOG_COMPRESS',
  'TEND_LOG_DATE_FORMAT',
  'TEND_LOG_MAX_SIZE',
  'TEND_LOG_RETAIN',
  'TEND_LOG_ROTATE_INTERVAL',
  'TEND_LOG_TIME',
  'TEND_LOG_TYPE',
  'TEND_NAMESPACE',
  'TEND_NODE_EXTRA_CA_CERTS',
  'TEND_NODE_OPTIONS',
  'TEND_NOTIFY_FD',
  'TEND_PROBE_CONCURRENCY',
  'TEND_PROCESS_ID',
  'TEND_REASON',
  'TEND_REQUEST_TIMEOUT_MS',
  'TEND_ROOT',
  'TEND_RUNTIME_ADOPTED',
  'TEND_RUNTIME_INIT',
  'TEND_RUNTIME_NODE_FLAGS',
  'TEND_RUNTIME_PLAN',
  'TEND_RUNTIME_PLAN_SKIPPED',
  'TEND_RUNTIME_SIGNAL_REPEAT_MS',
  'TEND_SIGNAL',
  'TEND_SPAWN_ID',
  'TEND_STDERR',
  'TEND_SUPPRESSED',
  'TEND_SYSTEMCTL',
  'TEND_SYSTEMD_DIR',
  'TEND_SYSTEMD_RESURRECT',
  'TEND_SYSTEMD_UNIT_DIRS',
  'TEND_TIMEOUT_USEC',
  'TEND_UNIT_HEADER',
  'TEND_VERSION',
];

/** What the config's evaluation read of the environment (planned()). */
export interface EnvReads {
  /** name → the value then, or null when it was not set. */
  values: Map<string, string | null>;
  /** The config walked the whole environment (`{...process.env}`, Object.keys): sh cannot know what matters. */
  enumerated: boolean;
}

/** The launch of the app's first instance, as the supervisor makes it (supervisor/launch.ts). */
export interface PlannedLaunch {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
}

/** Why these apps cannot start from a plan, or null when they can. */
export function planProblem(specs: readonly AppSpec[], options: RuntimeOptions): string | null {
  if (specs.length !== 1)
    return `a plan starts one app, and ${specs.length} would run (--only NAME, one app per pod)`;
  const spec = specs[0] as AppSpec;
  if (spec.instances !== 1)
    return `${spec.name} runs ${spec.instances} instances; a plan starts one (--single-instance: the orchestrator's replicas are the others)`;
  if (spec.exec_mode !== 'fork')
    return `${spec.name} runs in cluster mode; a plan starts one process in fork mode`;
  if (options.restart === 'policy')
    return '--restart policy: a plan is for --restart orchestrator (one app, restarted by the orchestrator)';
  if (needsIpc(spec))
    return `${spec.name} needs an IPC channel (wait_ready, shutdown_with_message or metrics), which sh cannot open`;
  if (notifyPipe(spec)) return `${spec.name} needs the notify pipe (wait_ready or watchdog_sec)`;
  if (spec.depends_on.length > 0)
    return `${spec.name} depends on ${spec.depends_on.map((d) => d.name).join(', ')}: it must wait for them (--no-deps: they run elsewhere)`;
  if (!spec.autorestart)
    return `${spec.name} is a one-shot (autorestart: false): its run may end before tend-runtime can compare it with the config, and an outdated plan would have run it; plans are for services`;
  if (options.control)
    return 'the control socket (--control, or TEND_HOME set): the apps carry its home, known only once it is claimed';
  return null;
}

/** The first instance's launch: id 0, instance 0, no home (no control socket: planProblem). */
export function plannedLaunch(spec: AppSpec): PlannedLaunch {
  const l = launchOf(spec, { id: 0, instance: 0, home: null });
  return { command: l.command, args: l.args, cwd: spec.cwd, env: l.env };
}

/** A word for sh, in single quotes (a quote inside as '\''). Every byte but NUL passes. */
export function shQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A name sh can set, unset and test (POSIX: letters, digits, underscore, not first a digit). */
const SH_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The variables the runtime moves aside before its own Node starts (bin/tend-runtime.js) and gives back to
 * the apps: a check of the config's read of one of them looks at where it is kept meanwhile.
 */
const MOVED_ASIDE: Readonly<Record<string, string>> = {
  NODE_OPTIONS: 'TEND_NODE_OPTIONS',
  NODE_EXTRA_CA_CERTS: 'TEND_NODE_EXTRA_CA_CERTS',
};

export interface PlanInput {
  /** tend-runtime's arguments the plan is for (without `plan` and --out). */
  argv: readonly string[];
  /** The runtime's working directory (sh's $PWD must be it). */
  cwd: string;
  name: string;
  launch: PlannedLaunch;
  /** The environment the runtime would have run with (the apps' env is made from it). */
  baseline: Readonly<Record<string, string | undefined>>;
  reads: EnvReads;
  /** Absolute paths whose content the plan depends on, and `cksum`'s line for them then. */
  files: readonly string[];
  checksums: string;
  source: string;
  /** bin/tend-runtime.js, resolved. */
  bin: string;
  /** --secrets-from-env: the variables whose value is the environment's when it has one (load-apps.ts). */
  envFirst: ReadonlySet<string>;
  /**
   * The app's own variables (its `env`, its env files, tend's): set by the plan whatever the environment
   * holds when it is written (NODE_ENV=production there, development at run time: the app's must win).
   */
  own: ReadonlySet<string>;
  /** `setpriv --pdeathsig` works here (util-linux's; busybox's has no such option). */
  pdeathsig: boolean;
}

/** The working directory as sh's $PWD names it (a link kept), when it is this one; else the physical one. */
function shellCwd(): string {
  const logical = process.env.PWD;
  try {
    if (logical?.startsWith('/') && realpathSync(logical) === process.cwd()) return logical;
  } catch {
    // gone
  }
  return process.cwd();
}

/** The file is a script with a #! line. */
function startsWithShebang(file: string): boolean {
  try {
    return shebangLine(file) !== null;
  } catch {
    return false;
  }
}

/** The image's setpriv can set the parent-death signal (util-linux's can; busybox's has no --pdeathsig). */
function pdeathsigWorks(): boolean {
  try {
    execFileSync('setpriv', ['--pdeathsig', 'KILL', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Text for a comment line: a line break in it would end the comment (and run the rest). */
function comment(text: string): string {
  return text.replace(/[\r\n]/g, (c) => (c === '\n' ? '\\n' : '\\r'));
}

/** The plan's text: sh, sourced by bin/tend-runtime.js's first line (see there and bin/tend-init.sh). */
export function planText(p: PlanInput): string {
  const q = shQuote;
  const lines: string[] = [];
  const skip = (why: string) =>
    `{ TEND_RUNTIME_PLAN_SKIPPED=${q(why)}; export TEND_RUNTIME_PLAN_SKIPPED; return 0; }`;
  lines.push(
    `# tend-runtime launch plan, written by \`tend-runtime plan\` (tend ${VERSION}) for ${comment(p.name)}, from ${comment(p.source)}.`,
    '# bin/tend-runtime.js reads it when TEND_RUNTIME_PLAN names this file: it starts the app before Node, and the',
    '# runtime adopts it once it has read the config and found the same launch. Do not edit: run the command again.',
    `# for: tend-runtime ${comment(p.argv.map(q).join(' '))}`,
    // The checks, in the shell that has tend-runtime's own arguments; tend_plan_go=1 when they pass.
    'tend_plan_check() {',
    '  tend_plan_go=',
  );
  // The arguments, one by one.
  const argChecks = [`[ $# -eq ${p.argv.length} ]`, ...p.argv.map((a, i) => `[ "\${${i + 1}}" = ${q(a)} ]`)];
  lines.push(`  ${argChecks.join(' && ')} || ${skip("the arguments differ from the plan's")}`);
  lines.push(`  [ "$PWD" = ${q(p.cwd)} ] || ${skip(`the working directory is not ${p.cwd}`)}`);
  // The environment the config read.
  for (const [name, value] of [...p.reads.values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const held = MOVED_ASIDE[name];
    const why = skip(`$${name} differs from the plan's`);
    if (held) {
      // Moved aside by the first line, and empty there means unset (bin/tend-runtime.js).
      lines.push(
        value === null || value === ''
          ? `  [ -z "\${${held}-}" ] || ${why}`
          : `  [ "\${${held}-}" = ${q(value)} ] || ${why}`,
      );
    } else {
      lines.push(
        value === null
          ? `  [ -z "\${${name}+x}" ] || ${why}`
          : `  [ "\${${name}+x}" = x ] && [ "$${name}" = ${q(value)} ] || ${why}`,
      );
    }
  }
  lines.push(
    '  command -v setsid >/dev/null 2>&1 || ' + skip('setsid is not installed'),
    // Without a parent-death signal, an app started before the runtime's Node would outlive a runtime killed
    // as it starts (Node dies of a signal it has no handler for yet). As PID 1 the kernel ends the whole
    // PID namespace with it, and tend-init.sh holds the signals until the runtime's handlers are in place.
    ...(p.pdeathsig
      ? []
      : [
          `  [ "$$" = 1 ] || ${skip("this system's setpriv has no --pdeathsig (busybox): the plan is used as PID 1 only, where the app cannot outlive the runtime")}`,
        ]),
    '  command -v mkfifo >/dev/null 2>&1 || ' + skip('mkfifo is not installed'),
    `  [ "$(cksum ${p.files.map(q).join(' ')} 2>&1)" = ${q(p.checksums)} ] || ${skip('a file the plan was made from changed')}`,
    // The app's stdout and stderr: FIFOs the runtime reads (adopted.ts opens and removes them). mkfifo refuses a
    // name that exists (a link planted there included): then no plan.
    // Names no other runtime uses: the pid (always 1 as PID 1: two containers may share a /tmp, and a
    // restarted one keeps it) and a random id the kernel gives by `read`, without a process. An absolute
    // directory: the runtime's Node takes only an absolute path.
    '  tend_plan_id=; read -r tend_plan_id 2>/dev/null </proc/sys/kernel/random/uuid',
    '  tend_plan_at=${TMPDIR:-/tmp}/tend-runtime-plan.$$.$tend_plan_id',
    `  case $tend_plan_at in /*) ;; *) ${skip('TMPDIR is not an absolute path')} ;; esac`,
    `  mkfifo -m 600 "$tend_plan_at.out" "$tend_plan_at.err" 2>/dev/null || { rm -f "$tend_plan_at.out" "$tend_plan_at.err" 2>/dev/null; ${skip('mkfifo could not make its FIFOs in $TMPDIR (or /tmp): a read-only file system, or a name taken')} }`,
    '  tend_plan_go=1',
    '}',
    // The start, in the process that then becomes tend-runtime's Node (exec): the app is that Node's child.
    'tend_plan_start() {',
    // The FIFOs are opened here, before the fork: the runtime's Node (this process, after its exec) removes
    // their names once it has opened them, and a subshell that opened them itself could come too late on a
    // loaded machine (it then made a plain file of that name, and the app wrote there: seen in the bench).
    '  if ! { command exec 8<>"$tend_plan_at.out" 9<>"$tend_plan_at.err"; } 2>/dev/null; then',
    '    rm -f "$tend_plan_at.out" "$tend_plan_at.err" 2>/dev/null',
    `    TEND_RUNTIME_PLAN_SKIPPED=${q('its FIFOs could not be opened')}; export TEND_RUNTIME_PLAN_SKIPPED`,
    '    unset tend_plan_go tend_plan_at tend_plan_id',
    '    return 0',
    '  fi',
    '  (',
    // The variables the first line moved aside are the app's (empty: unset, as bin/tend-runtime.js does).
    '    if [ -n "${TEND_NODE_OPTIONS-}" ]; then NODE_OPTIONS=$TEND_NODE_OPTIONS; export NODE_OPTIONS; fi',
    '    if [ -n "${TEND_NODE_EXTRA_CA_CERTS-}" ]; then NODE_EXTRA_CA_CERTS=$TEND_NODE_EXTRA_CA_CERTS; export NODE_EXTRA_CA_CERTS; fi',
    // bash lowers SHLVL again for an exec of its main shell (the runtime's Node, unless PID 1), not of a subshell.
    '    if [ -n "${BASH_VERSION-}" ] && [ "$$" != 1 ]; then SHLVL=$((${SHLVL:-0} - 1)); export SHLVL; fi',
  );
  // What the app's environment lacks of the runtime's, and what it has of its own.
  const env = p.launch.env;
  const removed = new Set(TEND_VARIABLES);
  for (const [k, v] of Object.entries(p.baseline)) if (v !== undefined && !(k in env)) removed.add(k);
  lines.push(`    unset ${[...removed].sort().join(' ')}`);
  const set = Object.entries(env)
    .filter(([k, v]) => p.baseline[k] !== v || removed.has(k) || p.own.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k, v] of set)
    lines.push(
      p.envFirst.has(k)
        ? // --secrets-from-env: the environment's value when it has one (a Secret), else the file's.
          `    [ -n "\${${k}+x}" ] || { ${k}=${q(v)}; export ${k}; }`
        : `    ${k}=${q(v)}; export ${k}`,
    );
  // The tag kill-tree finds the app's descendants by (runtime/env-tag.ts), unique among the live processes.
  lines.push('    TEND_SPAWN_ID=plan.$$; export TEND_SPAWN_ID');
  if (p.launch.cwd !== p.cwd) {
    // cd sets and exports PWD and OLDPWD; the runtime's spawn changes neither: put them back as they were in
    // the environment (which the plan takes to be as it was when it was written: else the runtime's
    // comparison catches it).
    const restore = (name: 'PWD' | 'OLDPWD', saved: string) =>
      p.baseline[name] !== undefined ? `${name}=$${saved}` : `unset ${name}`;
    lines.push(
      '    tend_plan_pwd=${PWD-}; tend_plan_oldpwd=${OLDPWD-}',
      `    cd ${q(p.launch.cwd)} || exit 127`,
      `    ${restore('PWD', 'tend_plan_pwd')}; ${restore('OLDPWD', 'tend_plan_oldpwd')}`,
    );
  }
  const argv = [p.launch.command, ...p.launch.args].map(q).join(' ');
  // Its own session and process group (pgid = pid), as the runtime's spawner does (detached). setpriv, where
  // there is one: the app gets SIGKILL if the runtime dies before it has adopted it (nothing outlives it).
  lines.push(
    ...(p.pdeathsig
      ? [`    command -v setpriv >/dev/null 2>&1 && exec setpriv --pdeathsig KILL setsid ${argv}`]
      : []),
    `    exec setsid ${argv}`,
    // The descriptors sh inherited are not the app's (the runtime's spawn gives it 0, 1 and 2 only).
    '  ) </dev/null 1>&8 2>&9 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &',
    '  TEND_RUNTIME_ADOPTED="$! $tend_plan_at"; export TEND_RUNTIME_ADOPTED',
    // Not the runtime's: only the app may hold the FIFOs' writing ends (their end is the app's output's end).
    '  exec 8>&- 9>&-',
    '  unset tend_plan_go tend_plan_at tend_plan_id',
    '}',
    // This tend's bin, resolved: the first line as PID 1 uses it instead of `readlink -f "$0"` (one process
    // less before the app starts) when "$0" is that same file (test -ef).
    `tend_plan_bin=${q(p.bin)}`,
    // Last: set only when sh read the whole file (a cut or damaged file defines no plan).
    'tend_plan=1',
    '',
  );
  return lines.join('\n');
}

/**
 * Runs `load` with process.env watched: the names the config's code reads or tests, with their values; a
 * walk over the whole environment (`{...process.env}`, Object.keys) is noted (`enumerated`): then any variable
 * may matter, and no plan is written.
 */
export async function recordingEnv<T>(
  load: (env: NodeJS.ProcessEnv) => Promise<T>,
): Promise<{ result: T; reads: EnvReads }> {
  const real = process.env;
  const values = new Map<string, string | null>();
  let enumerated = false;
  // A variable's name, not one of an object's methods (process.env.hasOwnProperty('X'), `${process.env}`).
  const note = (target: NodeJS.ProcessEnv, key: string | symbol) => {
    if (typeof key !== 'string' || key.startsWith('TEND_') || values.has(key)) return;
    if (Object.hasOwn(target, key)) values.set(key, String(target[key]));
    else if (!(key in Object.prototype)) values.set(key, null);
  };
  const watched = new Proxy(real, {
    get(target, key, receiver) {
      // tend's own variables are read by tend's code (the home, the log settings): what they change shows in
      // the runtime's comparison; a check of each in sh would only refuse a plan for nothing.
      note(target, key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      note(target, key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      enumerated = true;
      return Reflect.ownKeys(target);
    },
    // Object.hasOwn(process.env, …) and the like.
    getOwnPropertyDescriptor(target, key) {
      note(target, key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
  process.env = watched;
  try {
    // tend's own code gets the environment itself (load-apps.ts copies it for the apps): only what reads
    // process.env meanwhile, the config's code, is recorded.
    const result = await load(real);
    return { result, reads: { values, enumerated } };
  } finally {
    process.env = real;
  }
}

/** tend's own directory (dist/runtime.cjs, or src/container/ when run from source): its files are no input of the plan. */
const HERE = dirname(fileURLToPath(import.meta.url));
const TEND_ROOT = resolve(HERE, basename(HERE) === 'dist' ? '..' : '../..');

/** The files a CommonJS config required while it was read (require's cache grew by them), tend's own aside. */
export function requiredSince(before: ReadonlySet<string>): string[] {
  const cache = createRequire(import.meta.url).cache;
  return Object.keys(cache).filter((f) => !before.has(f) && !f.startsWith(`${TEND_ROOT}${sep}`));
}

export function requireCacheKeys(): Set<string> {
  return new Set(Object.keys(createRequire(import.meta.url).cache));
}

/** Writes the plan: a new file beside the target, renamed over it (a link there is replaced, not followed). */
function writeFileAtomic(file: string, text: string, mode: number): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(
    tmp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    mode,
  );
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // gone
    }
    throw err;
  }
}

/** `plan`'s own flag (--out FILE), taken out of the runtime's arguments. */
function takeOut(argv: readonly string[]): { out: string; rest: string[] } {
  const rest: string[] = [];
  let out = DEFAULT_PLAN_FILE;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--out' || a === '-o') {
      const v = argv[i + 1];
      if (v === undefined || v === '')
        throw new TendError('TEND_ERR_USAGE', {
          detail: `${a} needs a file name (tend-runtime plan --out FILE …)`,
        });
      out = v;
      i++;
    } else if (a.startsWith('--out=')) {
      out = a.slice('--out='.length);
      if (out === '')
        throw new TendError('TEND_ERR_USAGE', {
          detail: '--out= needs a file name (tend-runtime plan --out FILE …)',
        });
    } else rest.push(a);
  }
  return { out, rest };
}

export const PLAN_USAGE = `usage: tend-runtime plan <ecosystem file | script> [tend-runtime's options] [--out FILE]

Writes a launch plan (default ./${DEFAULT_PLAN_FILE}): with TEND_RUNTIME_PLAN naming it, tend-runtime starts the
app from it before its own Node has started, in the time of \`node app.js\` (docs/kubernetes.md). Run it at image
build time with the arguments the container will run tend-runtime with:

  RUN tend-runtime plan ecosystem.config.js --out /app/${DEFAULT_PLAN_FILE}
  ENV TEND_RUNTIME_PLAN=/app/${DEFAULT_PLAN_FILE}
  CMD ["tend-runtime", "ecosystem.config.js"]

For one app, one instance, fork mode. A plan that no longer matches is not used (or, when only the runtime can
tell, the app is started again): nothing runs from an outdated plan for long.`;

export interface PlanDeps {
  /** Reads the apps as the runtime does (run.ts's loadApps). */
  loadApps(options: RuntimeOptions, env: NodeJS.ProcessEnv): Promise<{ specs: AppSpec[]; notes: string[] }>;
  say(line: string): void;
  print(line: string): void;
}

/** `tend-runtime plan …`: resolves with the exit code. */
export async function runPlanCommand(argv: readonly string[], deps: PlanDeps): Promise<number> {
  try {
    const ownArgs = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
    if (ownArgs.includes('--help') || ownArgs.includes('-h')) {
      deps.print(PLAN_USAGE);
      return 0;
    }
    const { out, rest } = takeOut(argv);
    const parsed = parseRuntimeArgs(rest);
    if (parsed.help) {
      deps.print(PLAN_USAGE);
      return 0;
    }
    const options = parsed.options;
    const before = requireCacheKeys();
    const { result: loaded, reads } = await recordingEnv((env) => deps.loadApps(options, env));
    for (const n of loaded.notes)
      deps.say(`warning: ${/\(TEND_ERR_[A-Z_]+\)$/.test(n) ? n : `${n} (TEND_ERR_NOTICE)`}`);
    if (reads.enumerated)
      throw new TendError('TEND_ERR_PLAN', {
        detail:
          'the config walks the whole environment ({...process.env}, Object.keys(process.env)): any variable may change what it starts, and sh cannot check them all',
        fix: 'read the variables it needs by name (process.env.PORT), or run tend-runtime without a plan',
      });
    const problem = planProblem(loaded.specs, options);
    const fix = 'run tend-runtime without a plan, or change what the message names';
    if (problem) throw new TendError('TEND_ERR_PLAN', { detail: problem, fix });
    const spec = loaded.specs[0] as AppSpec;
    const launch = plannedLaunch(spec);
    for (const k of [...Object.keys(launch.env), ...reads.values.keys()])
      if (!SH_NAME.test(k))
        throw new TendError('TEND_ERR_PLAN', {
          detail: `the environment variable ${JSON.stringify(k)} of ${spec.name} is not a name sh can set or test`,
          fix: 'rename it (letters, digits and _), or run tend-runtime without a plan',
        });
    // --secrets-from-env: a secret-looking variable takes the environment's value when the runtime has one
    // (a Secret): the plan's launch does the same, so it must know the file's value, its fallback.
    const envFirst = new Set<string>();
    if (options.secretsFromEnv)
      for (const [k, v] of Object.entries(spec.env)) {
        if (!looksSecret(k, v)) continue;
        if (process.env[k] !== undefined)
          throw new TendError('TEND_ERR_PLAN', {
            detail: `--secrets-from-env and ${k} is set here: its value would be the plan's, not the container's`,
            fix: `write the plan without ${k} in the environment (an image build has none of the secrets)`,
          });
        envFirst.add(k);
      }
    for (const [k, v] of Object.entries(launch.env))
      if (v.includes('\0')) throw new TendError('TEND_ERR_PLAN', { detail: `${k} holds a NUL byte`, fix });
    // The app's own variables, set whatever the environment holds: its env, its env files', tend's.
    const own = new Set<string>([
      ...Object.keys(spec.app_env),
      ...Object.keys(launch.env).filter((k) => spec.env[k] !== launch.env[k]),
    ]);
    if (options.envFiles)
      for (const f of spec.env_file)
        try {
          for (const k of Object.keys(parseDotenv(readFileSync(f, 'utf8')).vars)) own.add(k);
        } catch {
          // unreadable: the runtime's own read says so
        }
    // The files the launch depends on: the config itself, what it required, the env files.
    const source = spec.source ?? resolve(options.target);
    const files = [
      ...new Set(
        [source, ...requiredSince(before), ...spec.env_file]
          .filter((f) => f !== null && f !== '')
          .map((f) => {
            try {
              return realpathSync(f);
            } catch {
              return f;
            }
          }),
      ),
    ].sort();
    let checksums: string;
    try {
      checksums = execFileSync('cksum', files, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).replace(/\n+$/, '');
    } catch (err) {
      throw new TendError('TEND_ERR_PLAN', {
        detail: `cksum could not read the files the plan depends on: ${(err as Error).message.split('\n')[0]}`,
        fix: 'install cksum (coreutils, busybox), or run tend-runtime without a plan',
      });
    }
    const baseline = (globalThis as Record<symbol, Record<string, string | undefined> | undefined>)[
      Symbol.for('tend-runtime.environment')
    ] ?? { ...process.env };
    const text = planText({
      argv: rest,
      cwd: shellCwd(),
      name: spec.name,
      launch,
      baseline,
      reads,
      files,
      checksums,
      source,
      bin: realpathSync(join(TEND_ROOT, 'bin', 'tend-runtime.js')),
      envFirst,
      own,
      pdeathsig: pdeathsigWorks(),
    });
    // A value that looks secret (an env file's password, say) keeps the plan to its owner.
    const secret =
      maskedArgs(launch.args).some((a, i) => a !== launch.args[i]) ||
      maskedArgs(rest).some((a, i) => a !== rest[i]) ||
      Object.entries(launch.env).some(([k, v]) => (baseline[k] !== v || own.has(k)) && looksSecret(k, v)) ||
      [...reads.values].some(([k, v]) => v !== null && looksSecret(k, v));
    const file = resolve(out);
    try {
      if (lstatSync(file).isDirectory())
        throw new TendError('TEND_ERR_USAGE', { detail: `--out ${out} is a directory; give a file name` });
    } catch (err) {
      if (isTendError(err)) throw err;
    }
    try {
      writeFileAtomic(file, text, secret ? 0o600 : 0o644);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new TendError('TEND_ERR_USAGE', {
        detail: `--out ${out}: cannot write there (${e.code === 'ENOENT' ? `no directory ${dirname(file)}` : (e.code ?? e.message)})`,
      });
    }
    deps.print(
      `launch plan for ${spec.name} written to ${file}: ${[launch.command, ...maskedArgs(launch.args)].join(' ')}`,
    );
    if (secret)
      deps.say(
        `note: the plan holds values that look secret (the app's arguments or environment): it is readable by its owner only (mode 600); the runtime's user must own it (TEND_ERR_NOTICE)`,
      );
    if (spec.interpreter === null && startsWithShebang(spec.script))
      deps.say(
        `note: ${spec.script} runs as its own program: if it execs another one (an entrypoint script's \`exec node app.js\`), tend-runtime cannot recognise it and starts the app again at every start; give that program as the script instead (TEND_ERR_NOTICE)`,
      );
    deps.print(
      `tend-runtime starts ${spec.name} from it when ${PLAN_VAR}=${file} (Dockerfile: ENV ${PLAN_VAR}=${file})`,
    );
    return 0;
  } catch (err) {
    if (isTendError(err)) {
      deps.say(`error: ${err.message} (${err.code})`);
      return err.exitCode;
    }
    deps.say(`error: ${err instanceof Error ? err.message : String(err)} (TEND_ERR_INTERNAL)`);
    return 70;
  }
}
