// `tend-pm2 start <script|file|target>... [flags] [-- args]`, PM2's way:
// - several scripts in one command (`start a.js b.js c.js`), each its own app;
// - an ecosystem file: running apps restart with its configuration, stopped ones start, missing ones are
//   added (lifecycle.ts);
// - a name, id, namespace, `all` or /regex/ of existing apps: running ones restart (counted in
//   restart_time), stopped ones start (not counted) — PM2's "smart start";
// - a script file some app already runs: a stopped app starts; a running one is PM2's "Script already
//   launched" error, and with -f (PM2: a second copy under the same name) it is restarted, with a warning:
//   tend keeps one app per name.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { appNamesOf, loadEcosystemFile } from '../../../cli/ecosystem.js';
import { argsAfterDoubleDash, callerEnv, list } from '../../../cli/options.js';
import { reportFailures } from '../../../cli/report-failures.js';
import { scriptArgument } from '../../../cli/script-argument.js';
import { warn, warnNote, withClient } from '../../../cli/session.js';
import type { TendClient } from '../../../client/client.js';
import type { AppInput } from '../../../config/input-types.js';
import { type EcosystemFile, parseEcosystemText } from '../../../config/load-file.js';
import { isTendError, TendError } from '../../../protocol/errors.js';
import type { ProcessInfo } from '../../../protocol/process-info.js';
import { say, showTable } from '../output.js';
import { isFileToken } from '../resolve.js';
import { addAcceptedFlags, addFieldFlags, envDefaults, flagFields } from '../start-options.js';
import { matchToken, regexOf } from '../targets.js';
import { restartProcesses, startOrRestartFile } from './lifecycle.js';
import { followUntilInterrupted } from './no-daemon.js';

type Opts = Record<string, unknown> & {
  only?: string[];
  env?: string;
  updateEnv?: boolean;
  force?: boolean;
  treekill?: boolean;
  daemon?: boolean;
  wait?: boolean;
};

export function register(program: Command): void {
  const cmd = program
    .command('start')
    .argument(
      '<script|file|target...>',
      'scripts (several start several apps), an ecosystem file ("-": read from stdin), or existing apps: name, id, "all", namespace, /regex/',
    )
    .description(
      "start scripts or an ecosystem file's apps; existing apps named again are restarted if running (counted), started if stopped (not counted)",
    )
    .option('--env <name>', 'use env_<name> of the ecosystem file')
    .option('-a, --update-env', "existing apps: take this shell's environment")
    .option('--only <names>', 'with an ecosystem file: only these apps (comma separated)', list)
    .option('--no-wait', 'return at once, without waiting for the processes to be ready');
  addFieldFlags(cmd);
  addAcceptedFlags(cmd);
  cmd.addHelpText(
    'after',
    '\nArguments for the script go after --. Env: PM2_HOME, PM2_SILENT, PM2_WORKER_INTERVAL, PM2_KILL_USE_MESSAGE.',
  );
  cmd.action((tokens: string[], opts: Opts, c: Command) => start(tokens, opts, c));
}

async function start(tokens: string[], opts: Opts, cmd: Command): Promise<void> {
  const scriptArgs = argsAfterDoubleDash();
  const operands = scriptArgs ? tokens.slice(0, Math.max(1, tokens.length - scriptArgs.length)) : tokens;
  const fields = flagFields(opts, cmd);
  if (opts.treekill === false)
    warn(
      '--no-treekill is not honoured: tend always signals the whole process tree of an app',
      'TEND_ERR_CONFIG_IGNORED',
    );
  const cwd = process.cwd();
  const scripts = operands.filter((t) => !isFileToken(t));
  if (fields.name !== undefined && scripts.length > 1)
    warn(`--name is ignored with several scripts (each is named after its file)`, 'TEND_ERR_CONFIG_IGNORED');
  let started: string[] = [];
  // Files are loaded before connecting: with the client's socket open, a file whose top-level await never
  // settles would hang the command instead of failing it (config/load-file.ts).
  const files = new Map<string, EcosystemFile>();
  for (const token of operands)
    if (isFileToken(token) && token !== '-' && !files.has(token))
      files.set(token, await loadEcosystemFile(resolve(token)));
  await withClient(async (c) => {
    for (const token of operands) {
      const { processes } = await c.call('process.list');
      if (isFileToken(token)) {
        // `start -`: the file's text on stdin (JSON, JavaScript object syntax or YAML), as PM2 reads it.
        const file =
          token === '-'
            ? await parseEcosystemText(await readStdin(), { source: '<stdin>', baseDir: cwd })
            : (files.get(token) as EcosystemFile);
        const names = appNamesOf(file, opts.only);
        await startOrRestartFile(c, 'restart', file, names, processes, opts, fields);
        started.push(...names);
        continue;
      }
      const matched = matchToken(token, processes, cwd) as ProcessInfo[];
      const isScript =
        matched.length > 0 &&
        !isTarget(token, processes) &&
        matched.every((p) => p.script === resolve(cwd, token) || p.script === token);
      if (matched.length > 0 && isScript) {
        const running = matched.filter(
          (p) => p.status !== 'stopped' && p.status !== 'errored' && p.wanted === 'up',
        );
        // Smart start (issue 17): a script that already runs is restarted, as a name or an id would be. PM2 7
        // refuses it without -f ("Script already launched", exit 1); a deploy script that then falls back to
        // `pm2 restart` gets the same single restart either way (docs/pm2.md).
        if (running.length > 0 && opts.force)
          warn(
            `${running[0]!.name} already runs ${token}: tend keeps one app per name, so -f restarts it instead of starting a second copy`,
            'TEND_ERR_CONFIG_IGNORED',
          );
        else if (running.length > 0)
          warn(
            `${token} already runs as ${running[0]!.name}: restarting it (PM2 7 would refuse without -f)`,
            'TEND_ERR_NOTICE',
          );
        await restartProcesses(c, 'restart', matched, opts, {});
      } else if (matched.length > 0) {
        await restartProcesses(c, 'restart', matched, opts, {});
      } else {
        started.push(
          await startScript(c, token, scriptArgs, scripts.length > 1 ? withoutName(fields) : fields, opts),
        );
      }
    }
    await showTable(c);
  });
  if (opts.daemon === false) await followUntilInterrupted(started);
  started = [];
}

/** Tokens that are targets by their form, whatever files exist: ids, `all`, /regex/, a name or namespace. */
function isTarget(token: string, processes: readonly ProcessInfo[]): boolean {
  return (
    token === 'all' ||
    /^\d+$/.test(token) ||
    regexOf(token) !== null ||
    processes.some((p) => p.name === token || p.namespace === token)
  );
}

function withoutName(fields: Record<string, unknown>): Record<string, unknown> {
  const { name: _name, ...rest } = fields;
  return rest;
}

/** A new app: a script path, a command on PATH, a command string or a directory (its package.json). */
async function startScript(
  c: TendClient,
  token: string,
  scriptArgs: string[] | null,
  fields: Record<string, unknown>,
  opts: Opts,
): Promise<string> {
  const cwd = process.cwd();
  const special = scriptArgument(token, cwd);
  if (special?.note) warn(special.note, 'TEND_ERR_NOTICE');
  const script = special?.script ?? token;
  const args = [...(special?.args ?? []), ...(scriptArgs ?? [])];
  const app: Record<string, unknown> = {
    ...envDefaults(),
    ...special?.defaults,
    script: existsSync(resolve(cwd, script)) ? resolve(cwd, script) : script,
    ...fields,
  };
  if (args.length > 0) app.args = args;
  try {
    const res = await c.call('app.start', {
      apps: [app as AppInput],
      source: null,
      base_dir: cwd,
      env: callerEnv(),
      env_name: null,
      only: null,
      wait: opts.wait !== false,
    });
    for (const n of res.notes) warnNote(n);
    const p = res.processes[0];
    say(
      `starting ${String(app.script)} in ${p?.mode === 'cluster' ? 'cluster' : 'fork'}_mode (${res.processes.length} instance${res.processes.length === 1 ? '' : 's'})`,
    );
    reportFailures(res.processes);
    return p?.name ?? token;
  } catch (err) {
    // Another script under a running app's name: PM2 -f would start a second app of that name.
    if (opts.force && isTendError(err) && err.code === 'TEND_ERR_ALREADY_RUNNING') {
      const name = (err.data as { name: string }).name;
      throw new TendError('TEND_ERR_PM2_ONE_NAME', { name });
    }
    throw err;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
