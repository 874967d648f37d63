// `tend start <script|ecosystem file|target> [options] [-- args...]`
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { loadEcosystemFile } from '../../config/load-file.js';
import { isTendError } from '../../protocol/errors.js';
import type { ProcessInfo } from '../../protocol/process-info.js';
import { isEcosystemFile } from '../ecosystem.js';
import {
  argsAfterDoubleDash,
  callerEnv,
  duration,
  instances,
  intList,
  list,
  nonNegativeInt,
} from '../options.js';
import { reportFailures } from '../report-failures.js';
import { printTable, reportRejected, warn, withClient } from '../session.js';

/** Command-line flags and the PM2 field each one sets (the same names as in an ecosystem file). */
const FIELDS: Record<string, string> = {
  name: 'name',
  cwd: 'cwd',
  interpreter: 'interpreter',
  // PM2's node_args is an alias of interpreter_args: both flags set the canonical field, so a flag always
  // overrides the file whichever of the two names the file used.
  nodeArgs: 'interpreter_args',
  interpreterArgs: 'interpreter_args',
  namespace: 'namespace',
  instances: 'instances',
  execMode: 'exec_mode',
  autorestart: 'autorestart',
  maxRestarts: 'max_restarts',
  minUptime: 'min_uptime',
  restartDelay: 'restart_delay',
  expBackoffRestartDelay: 'exp_backoff_restart_delay',
  expBackoffMaxDelay: 'exp_backoff_max_delay',
  killTimeout: 'kill_timeout',
  killSignal: 'kill_signal',
  stopExitCodes: 'stop_exit_codes',
  waitReady: 'wait_ready',
  listenTimeout: 'listen_timeout',
  shutdownWithMessage: 'shutdown_with_message',
  output: 'out_file',
  error: 'error_file',
  log: 'log_file',
  time: 'time',
  mergeLogs: 'merge_logs',
  logDateFormat: 'log_date_format',
  logType: 'log_type',
  maxSize: 'max_size',
  retain: 'retain',
  compress: 'compress',
  rotateInterval: 'rotate_interval',
  // Restart triggers (src/triggers).
  watch: 'watch',
  ignoreWatch: 'ignore_watch',
  watchDelay: 'watch_delay',
  maxMemoryRestart: 'max_memory_restart',
  memoryCheckInterval: 'memory_check_interval',
  cron: 'cron_restart',
  cronRestart: 'cron_restart',
  cronRestartTz: 'cron_restart_tz',
  envFile: 'env_file',
};

type Opts = Record<string, unknown> & { only?: string[]; env?: string; updateEnv?: boolean };

/** Repeatable --env-file (paths may hold commas). A pipe (`<(…)`, /dev/fd/N) is refused here: the daemon reads
 * the file, and /dev/fd/N would be one of the daemon's own descriptors. */
function envFile(value: string, previous: string[] = []): string[] {
  if (statSync(value, { throwIfNoEntry: false })?.isFile() === false) {
    throw new InvalidArgumentError(
      `expected a regular file, got "${value}" (the daemon reads env files itself: write a pipe's output to a file)`,
    );
  }
  return [...previous, value];
}

export function register(program: Command): void {
  program
    .command('start')
    .argument(
      '<script|file|target>',
      'a script or executable, an ecosystem file, or existing processes (name, id, namespace, all)',
    )
    .argument('[more...]', 'more targets; arguments for the script go after --')
    .description('start a script, the apps of an ecosystem file, or existing stopped processes')
    .option('-n, --name <name>', 'app name (default: the script name without extension)')
    .option('--cwd <path>', 'working directory of the app')
    .option(
      '--interpreter <cmd>',
      'interpreter (default: node for .js/.mjs/.cjs, none for executables; e.g. python3, bash)',
    )
    .option('--node-args <args>', 'arguments for the Node interpreter, e.g. "--max-old-space-size=512"')
    .option('--interpreter-args <args>', 'arguments for the interpreter')
    .option('--namespace <ns>', 'namespace (default: "default")')
    .option(
      '-i, --instances <n>',
      'number of instances: a number, "max", or -n for cores minus n (a Node script runs in cluster mode)',
      instances,
    )
    .option('--exec-mode <mode>', '"cluster" (Node scripts: workers share ports) or "fork"')
    .option('--env <name>', 'use env_<name> from the ecosystem file')
    .option(
      '--env-file <path>',
      'read variables from a dotenv file (relative to the current directory; repeatable)',
      envFile,
    )
    .option(
      '--update-env',
      "starting existing stopped processes: take this shell's environment (and re-read their env files)",
    )
    .option('--only <names>', 'with an ecosystem file: only these apps (comma separated)', list)
    .option('--no-autorestart', 'do not restart the app when it exits')
    .option('--max-restarts <n>', 'unstable restarts in a row before "errored" (default 16)', nonNegativeInt)
    .option('--min-uptime <ms>', 'an exit before this uptime is unstable (default 1000)', duration)
    .option('--restart-delay <ms>', 'delay before a restart (default 0)', duration)
    .option(
      '--exp-backoff-restart-delay <ms>',
      'exponential backoff: first delay, x1.5 per crash in a row',
      duration,
    )
    .option('--exp-backoff-max-delay <ms>', 'cap of the exponential backoff (default 15000)', duration)
    .option('--kill-timeout <ms>', 'time between the stop signal and SIGKILL (default 5000)', duration)
    .option('--kill-signal <signal>', 'stop signal (default SIGINT)')
    .option(
      '--stop-exit-codes <codes>',
      'exit codes that mean "done, do not restart" (comma separated)',
      intList,
    )
    .option('--wait-ready', 'online only once the app calls process.send("ready")')
    .option(
      '--listen-timeout <ms>',
      'with --wait-ready: how long to wait for "ready" (default 3000)',
      duration,
    )
    .option('--shutdown-with-message', 'send a "shutdown" IPC message before the stop signal')
    .option('-o, --output <file>', 'stdout log file (/dev/null discards)')
    .option('-e, --error <file>', 'stderr log file (/dev/null discards)')
    .option('-l, --log [file]', 'one more file with both streams (default $TEND_HOME/logs/<name>.log)')
    .option('--time', 'prefix every line, stdout and stderr, with a timestamp')
    .option('--log-date-format <format>', 'timestamp format, e.g. "YYYY-MM-DD HH:mm:ss Z" (default ISO-8601)')
    .option('--log-type <type>', '"json": one JSON object per line; "raw" (default)')
    .option('--merge-logs', "instances share the app's log files (no -<id> suffix)")
    .option('--max-size <size>', 'rotate the logs past this size, e.g. 10M')
    .option('--retain <n>', 'rotated generations kept (default 5)', nonNegativeInt)
    .option('--compress', 'gzip rotated log files')
    .option('--rotate-interval <cron>', 'rotate on a schedule too: a cron expression, or daily/hourly/weekly')
    .option(
      '--watch [paths]',
      'restart when files change: under cwd, or these paths (comma separated, relative to cwd)',
    )
    .option('--no-watch', 'do not watch (overrides watch in an ecosystem file)')
    .option(
      '--ignore-watch <globs>',
      'changes that never restart, besides node_modules and .git (comma separated)',
    )
    .option('--watch-delay <ms>', 'restart once no change came for this long (default 1000)', duration)
    .option(
      '--max-memory-restart <size>',
      'restart gracefully when the RSS of the process tree exceeds this, e.g. 200M',
    )
    .option(
      '--memory-check-interval <ms>',
      'how often memory is sampled for --max-memory-restart (default 5000)',
      duration,
    )
    .option(
      '--cron-restart <expr>',
      'restart on a schedule (cron, 5 fields or 6 with seconds); starts it if stopped',
    )
    .option('--cron <expr>', 'same as --cron-restart (PM2)')
    .option(
      '--cron-restart-tz <zone>',
      'time zone of --cron-restart, e.g. Europe/Paris (default: local time)',
    )
    .action((first: string, more: string[], opts: Opts, cmd: Command) => start(first, more, opts, cmd));
}

function flagFields(opts: Opts, cmd: Command): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(FIELDS)) {
    // Only flags the user gave: defaults belong to the daemon, and must not override an ecosystem file.
    if (cmd.getOptionValueSource(key) === 'cli' && opts[key] !== undefined) fields[field] = opts[key];
  }
  return fields;
}

async function start(first: string, more: string[], opts: Opts, cmd: Command): Promise<void> {
  const scriptArgs = argsAfterDoubleDash();
  const targets = scriptArgs ? more.slice(0, Math.max(0, more.length - scriptArgs.length)) : more;
  const fields = flagFields(opts, cmd);
  const cwd = process.cwd();
  // A path typed on the command line is the shell's (tab completion): relative to this directory.
  if (Array.isArray(fields.env_file)) fields.env_file = fields.env_file.map((p: string) => resolve(cwd, p));

  await withClient(async (c) => {
    let processes: ProcessInfo[];
    let notes: string[] = [];
    let rejected: { code: string; message: string } | null | undefined = null;
    if (isEcosystemFile(first) && targets.length === 0) {
      const { apps, source, baseDir } = await loadEcosystemFile(resolve(first));
      const { name, cwd: appCwd, ...overrides } = fields;
      if (name !== undefined) warn('--name is ignored with an ecosystem file (each app has its own name)');
      if (appCwd !== undefined) warn('--cwd is ignored with an ecosystem file (set cwd in the file)');
      // null means "not set": the file's node_args must not compete with the flag's interpreter_args.
      if ('interpreter_args' in overrides) overrides.node_args = null;
      if ('log_file' in overrides) overrides.log = null;
      if ('merge_logs' in overrides) overrides.combine_logs = null;
      if ('cron_restart' in overrides) overrides.cron = null;
      if (opts.updateEnv) {
        warn(
          '--update-env is ignored when starting a file (running apps keep their environment); use "tend restart <file> --update-env"',
        );
      }
      ({ processes, notes, rejected } = await c.call('app.start', {
        apps: apps.map((a) => ({ ...a, ...overrides })),
        source,
        base_dir: baseDir,
        env: callerEnv(),
        env_name: opts.env ?? null,
        only: opts.only ?? null,
      }));
    } else if (targets.length > 0 || (!existsSync(resolve(first)) && !scriptArgs)) {
      // Not a file: existing processes by name, id or namespace; failing that, a command on PATH.
      try {
        const update_env = opts.updateEnv ? { env: callerEnv(), file: null } : null;
        const r = await c.call('process.start', { target: [first, ...targets], update_env });
        processes = r.processes;
        notes = r.notes ?? [];
      } catch (err) {
        if (targets.length > 0 || !isTendError(err) || err.code !== 'TEND_ERR_TARGET_NOT_FOUND') throw err;
        ({ processes, notes } = await startScript(c, first, scriptArgs, fields, cwd));
      }
    } else {
      ({ processes, notes } = await startScript(c, first, scriptArgs, fields, cwd));
    }
    for (const n of notes) warn(n);
    printTable((await c.call('process.list')).processes);
    reportFailures(processes);
    reportRejected(rejected);
  });
}

function startScript(
  c: Parameters<Parameters<typeof withClient>[0]>[0],
  script: string,
  args: string[] | null,
  fields: Record<string, unknown>,
  cwd: string,
) {
  // A script that exists here is meant from here, even when --cwd points elsewhere.
  const app: Record<string, unknown> = {
    script: existsSync(resolve(cwd, script)) ? resolve(cwd, script) : script,
    ...fields,
  };
  if (args) app.args = args;
  return c.call('app.start', {
    apps: [app],
    source: null,
    base_dir: cwd,
    env: callerEnv(),
    env_name: null,
    only: null,
  });
}
