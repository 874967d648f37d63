// PM2 verbs that tend's own command line already has with PM2's meaning: run by tend's program (src/cli)
// after the targets are translated (a /regex/ or a script path becomes the ids it names). Their flags are
// tend's (listed in each --help); unknown ones are tend's usage errors.
import type { Command } from 'commander';
import { runProgram } from '../../../cli/program.js';
import { withClient } from '../../../cli/session.js';
import { TendError } from '../../../protocol/errors.js';
import { daemonRunning } from '../if-running.js';
import { matchToken, regexOf } from '../targets.js';

interface Verb {
  readonly pm2: string;
  readonly tend: string;
  readonly args: string;
  readonly summary: string;
  readonly flags?: string;
  readonly aliases?: readonly string[];
}

const VERBS: readonly Verb[] = [
  {
    pm2: 'logs',
    tend: 'logs',
    args: '[target...]',
    summary: 'print the last lines of the log files, then follow new lines',
    flags:
      '--lines <n>, --nostream, --err, --out, --raw, --json, --timestamp [format], --since <when>, --grep <re>',
  },
  {
    pm2: 'flush',
    tend: 'flush',
    args: '[target...]',
    summary: 'empty the log files (all, or of the targets)',
  },
  { pm2: 'reloadLogs', tend: 'reloadLogs', args: '', summary: 'reopen every log file (after logrotate)' },
  { pm2: 'pid', tend: 'pid', args: '[target...]', summary: 'print the pid of each running matching process' },
  { pm2: 'id', tend: 'id', args: '<target...>', summary: 'print the id of each matching process' },
  { pm2: 'reset', tend: 'reset', args: '<target...>', summary: 'zero the restart counters (restart_time)' },
  { pm2: 'scale', tend: 'scale', args: '<app> <number>', summary: 'scale an app to n instances (+n adds n)' },
  {
    pm2: 'sendSignal',
    tend: 'sendSignal',
    args: '<signal> <target...>',
    summary: 'send a signal to every matching instance',
  },
  {
    pm2: 'env',
    tend: 'env',
    args: '<target...>',
    summary: 'print the environment of a running process (secrets masked)',
    flags: '--show-secrets, --json',
  },
  { pm2: 'kill', tend: 'kill', args: '', summary: 'stop every process, then the daemon' },
  {
    pm2: 'startup',
    tend: 'startup',
    args: '[init]',
    summary: 'install a systemd unit that resurrects the saved list at boot (tend startup)',
    flags: '--dry-run, --service-name <name>, -u, --user <name>',
  },
  {
    pm2: 'unstartup',
    tend: 'unstartup',
    args: '[init]',
    summary: 'remove the unit installed by startup',
    flags: '--dry-run, --service-name <name>',
  },
  {
    pm2: 'update',
    tend: 'update',
    args: '',
    summary: 'restart the daemon and restore every app',
    aliases: ['updatePM2'],
  },
  { pm2: 'monit', tend: 'monit', args: '', summary: 'terminal dashboard' },
  {
    pm2: 'init',
    tend: 'init',
    args: '',
    summary: 'write a commented sample ecosystem.config.js here',
    flags: '--yaml, --force',
    aliases: ['ecosystem'],
  },
];

const READ_ONLY: ReadonlySet<string> = new Set(['pid', 'id']);

/** `pid` / `id` with no daemon: no process, so nothing to print, or no process matches the targets. */
function answerWithoutDaemon(args: readonly string[]): void {
  const end = args.indexOf('--');
  const tokens = (end === -1 ? args : args.slice(0, end)).filter((a) => !a.startsWith('-'));
  if (tokens.length === 0) return;
  throw new TendError('TEND_ERR_TARGET_NOT_FOUND', { target: tokens });
}

/** Tokens tend does not read as PM2 does (a /regex/, a script path): the ids they name. */
async function translate(tokens: readonly string[]): Promise<string[]> {
  const cwd = process.cwd();
  if (!tokens.some((t) => regexOf(t) !== null || /[/.]/.test(t))) return [...tokens];
  return withClient(async (c) => {
    const { processes } = await c.call('process.list');
    return tokens.flatMap((t) => {
      if (t.startsWith('-') || (regexOf(t) === null && !/[/.]/.test(t))) return [t];
      if (processes.some((p) => p.name === t || p.namespace === t)) return [t];
      const found = matchToken(t, processes, cwd);
      return found.length > 0 ? found.map((p) => String(p.id)) : [t];
    });
  });
}

export function register(program: Command): void {
  for (const v of VERBS) {
    const cmd = program
      .command(v.pm2)
      .description(v.summary)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]', v.args ? `${v.args} (and the flags below)` : 'the flags below')
      .addHelpText(
        'after',
        `\nRuns "tend ${v.tend}"${v.flags ? `; its flags: ${v.flags}` : ''}. Targets: name, id, "all", namespace, script file, /regex/.`,
      )
      .action(async (_args: string[], _opts: unknown, c: Command) => {
        // pid and id only read: with no daemon they answer as an empty one would, and start none.
        if (READ_ONLY.has(v.pm2) && !(await daemonRunning())) return answerWithoutDaemon(c.args);
        // Before `--` are ours (translated), after it the script's: `c.args` keeps both, unknown flags too.
        const rest =
          v.pm2 === 'scale'
            ? c.args
            : v.pm2 === 'sendSignal'
              ? [...c.args.slice(0, 1), ...(await translate(c.args.slice(1)))]
              : await translate(c.args);
        const status = await runProgram(['node', 'tend', v.tend, ...rest]);
        if (status !== null && status !== 0) process.exitCode = status;
      });
    for (const a of v.aliases ?? []) cmd.alias(a);
  }
}
