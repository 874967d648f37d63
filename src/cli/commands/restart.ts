import type { Command } from 'commander';
import { fileParamOf, startFromFile, updateEnvOf } from '../ecosystem.js';
import { list } from '../options.js';
import { printTable, reportRejected, warn, withClient } from '../session.js';
import { resolveTargets } from '../targets.js';
import { existing } from './stop.js';

export function register(program: Command): void {
  program
    .command('restart')
    .argument('<target...>', 'name, id, namespace, "all", or an ecosystem file')
    .option('--only <names>', 'with an ecosystem file: only these apps', list)
    .option('--env <name>', 'with an ecosystem file: use env_<name> for apps started now')
    .option(
      '--update-env',
      "take this shell's environment (variables unset here disappear), re-read env files; with a file, its env too",
    )
    .description(
      'restart processes (stopped ones are started); with an ecosystem file, its current configuration applies (not its env: --update-env) and apps not yet started are started',
    )
    .action(async (tokens: string[], opts: { only?: string[]; env?: string; updateEnv?: boolean }) => {
      const { target, file } = await resolveTargets(tokens, opts.only);
      const update_env = opts.updateEnv ? await updateEnvOf(file, opts.env) : null;
      await withClient(async (c) => {
        if (!file) {
          await c.call('process.restart', { target, update_env });
        } else {
          const running = await existing(c, target);
          if (running.length > 0) {
            const fileParam = update_env?.file ?? (await fileParamOf(file, opts.env));
            const r = await c.call('process.restart', { target: running, update_env, file: fileParam });
            for (const n of r.notes ?? []) warn(n);
          }
          const missing = target.filter((n) => !running.includes(n));
          if (missing.length > 0) {
            const { notes, rejected } = await startFromFile(c, file, missing, opts.env, opts.updateEnv);
            for (const n of notes) warn(n);
            reportRejected(rejected);
          }
        }
        printTable((await c.call('process.list')).processes);
      });
    });
}
