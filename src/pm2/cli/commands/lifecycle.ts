// stop, delete, restart, reload, gracefulReload with PM2's targets and counting: a restart of a stopped app
// starts it without counting a restart (PM2's restart_time), a running one is restarted (counted). Flags
// that change the app on restart (--node-args, --watch toggling, other field flags) go through tend's
// restart-with-a-file: the app's current configuration with the change, checked by the daemon.
import type { Command } from 'commander';
import { fileParamOf, updateEnvOf } from '../../../cli/ecosystem.js';
import { callerEnv, list } from '../../../cli/options.js';
import { reportFailures } from '../../../cli/report-failures.js';
import { reportRejected, warn, warnNote, withClient } from '../../../cli/session.js';
import type { TendClient } from '../../../client/client.js';
import type { AppInput } from '../../../config/input-types.js';
import type { EcosystemFile } from '../../../config/load-file.js';
import { TendError } from '../../../protocol/errors.js';
import type { ProcessInfo } from '../../../protocol/process-info.js';
import type { EcosystemFile as FileParam } from '../../../protocol/update-env.js';
import { inputOfSpec } from '../app-input.js';
import { say, showTable } from '../output.js';
import { isFileToken, resolveTokens } from '../resolve.js';
import { addFieldFlags, envDefaults, flagFields } from '../start-options.js';
import { idsOf, isDown } from '../targets.js';

const TARGET_HELP = 'name, id, "all", namespace, script file, ecosystem file, or /regex/ on names';

interface ActOpts {
  only?: string[];
  env?: string;
  updateEnv?: boolean;
  watch?: boolean | string[];
  name?: string;
  silent?: boolean;
}

export function register(program: Command): void {
  registerStartOr(program);
  for (const [verb, method, summary] of [
    ['stop', 'process.stop', 'stop processes (the whole process tree)'],
    ['delete', 'process.delete', 'stop processes and remove them from the list'],
  ] as const) {
    const cmd = program
      .command(verb)
      .argument('<target...>', TARGET_HELP)
      .option('--only <names>', 'with an ecosystem file: only these apps', list)
      .option('-s, --silent', 'print nothing but errors')
      .option('--watch', 'accepted (PM2 stops watching too)')
      .description(summary)
      .action((tokens: string[], opts: ActOpts) => stopOrDelete(method, tokens, opts));
    if (verb === 'delete') cmd.alias('del');
  }
  for (const [verb, how] of [
    ['restart', 'restart'],
    ['reload', 'reload'],
    ['gracefulReload', 'reload'],
  ] as const) {
    const cmd = program
      .command(verb)
      .argument('<target...>', TARGET_HELP)
      .description(
        how === 'restart'
          ? 'restart processes (counted in restart_time); stopped ones are started (not counted); with an ecosystem file, its configuration applies and its missing apps start'
          : 'zero-downtime reload of cluster apps, one worker at a time (fork apps are restarted); stopped ones are started; a replacement that never becomes ready aborts the reload (tend), the old worker serving',
      )
      .option('--only <names>', 'with an ecosystem file: only these apps', list)
      .option('--env <name>', 'with an ecosystem file: use env_<name>')
      .option('-a, --update-env', "take this shell's environment (and a file's env)")
      .option('-s, --silent', 'print nothing but errors');
    addFieldFlags(cmd, { skip: ['name'] });
    cmd
      .option('-n, --name <name>', 'PM2 renames the app: tend keeps its name (warning)')
      .action((tokens: string[], opts: ActOpts & Record<string, unknown>, c: Command) =>
        restartOrReload(how, tokens, opts, c),
      );
  }
}

/** PM2's deploy verbs: an ecosystem file, its missing apps added, stopped ones started, running ones
 * restarted or reloaded (the same as `start <file>` / `reload <file>` here). */
function registerStartOr(program: Command): void {
  for (const [verb, how] of [
    ['startOrRestart', 'restart'],
    ['startOrReload', 'reload'],
    ['startOrGracefulReload', 'reload'],
  ] as const) {
    program
      .command(verb)
      .argument('<file>', 'an ecosystem file')
      .description(
        `start the apps of an ecosystem file that are not running; ${how === 'restart' ? 'restart' : 'reload (gracefully: tend always does)'} the others`,
      )
      .option('--only <names>', 'only these apps', list)
      .option('--env <name>', 'use env_<name>')
      .option('-a, --update-env', "take this shell's environment and the file's env")
      .option('-s, --silent', 'print nothing but errors')
      .action(async (token: string, opts: ActOpts) => {
        if (!isFileToken(token))
          throw new TendError('TEND_ERR_USAGE', {
            detail: `${verb} takes an ecosystem file (ecosystem.config.js, .json, .yaml), got "${token}"; for processes use "tend-pm2 ${how} ${token}"`,
          });
        await withClient(async (c) => {
          const r = await resolveTokens(c, [token], opts.only);
          if (r.kind === 'file') await startOrRestartFile(c, how, r.file, r.names, r.processes, opts, {});
          await showTable(c);
        });
      });
  }
}

async function stopOrDelete(
  method: 'process.stop' | 'process.delete',
  tokens: string[],
  opts: ActOpts,
): Promise<void> {
  await withClient(async (c) => {
    const r = await resolveTokens(c, tokens, opts.only);
    const target =
      r.kind === 'file'
        ? r.processes.filter((p) => r.names.includes(p.name)).map((p) => String(p.id))
        : idsOf(r.matched);
    if (target.length === 0) {
      say('no process of the file is running');
    } else {
      const res = await c.call(method, { target });
      for (const n of ('notes' in res ? res.notes : undefined) ?? []) warnNote(n);
      say(`${method === 'process.stop' ? 'stopped' : 'deleted'}: ${describeTargets(res.processes, target)}`);
    }
    await showTable(c);
  });
}

function describeTargets(processes: readonly ProcessInfo[], ids: readonly string[]): string {
  return processes.length > 0 ? processes.map((p) => `${p.name} (${p.id})`).join(', ') : ids.join(', ');
}

async function restartOrReload(
  how: 'restart' | 'reload',
  tokens: string[],
  opts: ActOpts & Record<string, unknown>,
  cmd: Command,
): Promise<void> {
  if (opts.name !== undefined)
    warn(
      `--name ${opts.name}: tend does not rename a running app (one name is one app); delete it and start it under the new name`,
      'TEND_ERR_CONFIG_IGNORED',
    );
  // --name is PM2's rename (warned about above), not a field change.
  const { name: _name, ...changes } = flagFields(opts, cmd);
  await withClient(async (c) => {
    const r = await resolveTokens(c, tokens, opts.only);
    if (r.kind === 'file') await startOrRestartFile(c, how, r.file, r.names, r.processes, opts, changes);
    else await restartProcesses(c, how, r.matched, opts, changes);
    await showTable(c);
  });
}

/** Running processes restart (or reload), down ones start: PM2 counts only the first in restart_time. */
export async function restartProcesses(
  c: TendClient,
  how: 'restart' | 'reload',
  matched: readonly ProcessInfo[],
  opts: ActOpts,
  changes: Record<string, unknown>,
): Promise<void> {
  const update_env = opts.updateEnv ? updateEnvOf(null, undefined) : null;
  const down = matched.filter(isDown);
  const up = matched.filter((p) => !isDown(p));
  const processes: ProcessInfo[] = [];
  if (down.length > 0) {
    const res = await c.call('process.start', { target: idsOf(down), update_env });
    for (const n of res.notes ?? []) warnNote(n);
    processes.push(...res.processes);
  }
  if (up.length > 0) {
    const file = await changedConfig(c, up, changes);
    const params = { target: idsOf(up), update_env, file };
    const res =
      how === 'restart' ? await c.call('process.restart', params) : await c.call('process.reload', params);
    for (const n of res.notes ?? []) warnNote(n);
    processes.push(...res.processes);
  }
  say(`${how === 'restart' ? 'restarted' : 'reloaded'}: ${describeTargets(processes, idsOf(matched))}`);
  reportFailures(processes);
}

/**
 * The apps of `up` with the flags' changes, as a file the daemon applies before the restart; null without
 * changes. `--watch` alone toggles watching, as PM2's restart does.
 */
async function changedConfig(
  c: TendClient,
  up: readonly ProcessInfo[],
  changes: Record<string, unknown>,
): Promise<FileParam | null> {
  if (Object.keys(changes).length === 0) return null;
  const names = [...new Set(up.map((p) => p.name))];
  const { details } = await c.call('process.describe', { target: names });
  const apps: Record<string, unknown>[] = [];
  for (const name of names) {
    const d = details.find((x) => x.process.name === name);
    if (!d) continue;
    const app = { ...inputOfSpec(d.config as unknown as Record<string, unknown>), ...changes };
    if (changes.watch === true) app.watch = d.policies.watch === false;
    apps.push(app);
  }
  return { apps, source: 'tend-pm2 restart flags', base_dir: process.cwd(), env_name: null };
}

/**
 * An ecosystem file as PM2 starts, restarts or reloads it: its running apps restart (or reload) with the
 * file's configuration, its stopped ones start (not counted), its missing ones are added.
 */
export async function startOrRestartFile(
  c: TendClient,
  how: 'restart' | 'reload',
  file: EcosystemFile,
  names: readonly string[],
  processes: readonly ProcessInfo[],
  opts: ActOpts,
  overrides: Record<string, unknown>,
): Promise<void> {
  const ofFile = processes.filter((p) => names.includes(p.name));
  const down = ofFile.filter(isDown);
  const up = ofFile.filter((p) => !isDown(p));
  const update_env = opts.updateEnv ? updateEnvOf(file, opts.env) : null;
  const fileParam = fileParamOf(file, opts.env);
  if (down.length > 0) {
    const res = await c.call('process.start', { target: idsOf(down), update_env });
    for (const n of res.notes ?? []) warnNote(n);
    say(`started: ${describeTargets(res.processes, idsOf(down))}`);
    reportFailures(res.processes);
  }
  if (up.length > 0) {
    const upNames = [...new Set(up.map((p) => p.name))];
    const params = { target: upNames, update_env, file: fileParam };
    const res =
      how === 'restart' ? await c.call('process.restart', params) : await c.call('process.reload', params);
    for (const n of res.notes ?? []) warnNote(n);
    say(`${how === 'restart' ? 'restarted' : 'reloaded'}: ${upNames.join(', ')}`);
    reportFailures(res.processes);
  }
  const missing = names.filter((n) => !ofFile.some((p) => p.name === n));
  if (missing.length > 0) {
    const { name: _name, cwd: _cwd, ...fields } = overrides;
    const defaults = envDefaults();
    const res = await c.call('app.start', {
      // Unchecked data from a file: the daemon validates every field (it is the trust boundary).
      apps: file.apps.map((a) => ({ ...defaults, ...a, ...fields }) as AppInput),
      source: file.source,
      base_dir: file.baseDir,
      env: callerEnv(),
      env_name: opts.env ?? null,
      only: missing,
    });
    for (const n of res.notes) warnNote(n);
    say(`launched: ${missing.join(', ')}`);
    reportFailures(res.processes);
    reportRejected(res.rejected);
  }
}
