// `tend reload <target...>`: zero-downtime for cluster-mode apps (workers replaced one at a time, each only
// once its replacement is ready); fork-mode processes are restarted. A failed replacement is an error.
import type { Command } from 'commander';
import { fileParamOf, startFromFile, updateEnvOf } from '../ecosystem.js';
import { list } from '../options.js';
import { printTable, reportRejected, warn, withClient } from '../session.js';
import { resolveTargets } from '../targets.js';
import { existing } from './stop.js';

export function register(program: Command): void {
  program
    .command('reload')
    .argument('<target...>', 'name, id, namespace, "all", or an ecosystem file')
    .option('--only <names>', 'with an ecosystem file: only these apps', list)
    .option('--env <name>', 'with an ecosystem file: use env_<name> for apps started now')
    .option(
      '--update-env',
      "take this shell's environment (variables unset here disappear), re-read env files; with a file, its env too",
    )
    .description(
      'zero-downtime reload of cluster-mode apps, one worker at a time (fork-mode processes are restarted); with an ecosystem file, its current configuration applies',
    )
    .action(async (tokens: string[], opts: { only?: string[]; env?: string; updateEnv?: boolean }) => {
      const { target, file } = await resolveTargets(tokens, opts.only);
      const update_env = opts.updateEnv ? await updateEnvOf(file, opts.env) : null;
      await withClient(async (c) => {
        const running = file ? await existing(c, target) : target;
        try {
          if (running.length > 0) {
            const fileParam = update_env?.file ?? (await fileParamOf(file, opts.env));
            const r = await c.call('process.reload', { target: running, update_env, file: fileParam });
            for (const n of r.notes ?? []) warn(n);
          }
        } finally {
          // The table also after a failure: it shows the old workers still online.
          printTable((await c.call('process.list')).processes);
        }
        const missing = file ? target.filter((n) => !running.includes(n)) : [];
        if (file && missing.length > 0) {
          const { notes, rejected } = await startFromFile(c, file, missing, opts.env, opts.updateEnv);
          for (const n of notes) warn(n);
          reportRejected(rejected);
          printTable((await c.call('process.list')).processes);
        }
      });
    });
}
