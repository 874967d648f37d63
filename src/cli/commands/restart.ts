import type { Command } from 'commander';
import { fileParamOf, startMissing, updateEnvOf } from '../ecosystem.js';
import { type FileTargetOptions, fileTargetOptions } from '../options.js';
import { reportFailures } from '../report-failures.js';
import { printTable, warnNote, withClient } from '../session.js';
import { resolveTargets } from '../targets.js';
import { existing } from './stop.js';

export function register(program: Command): void {
  fileTargetOptions(
    program.command('restart').argument('<target...>', 'name, id, namespace, "all", or an ecosystem file'),
  )
    .description(
      'restart processes (stopped ones are started); with an ecosystem file, its current configuration applies (not its env: --update-env) and apps not yet started are started',
    )
    .option('--no-wait', 'return at once, without waiting for the processes to be ready')
    .action(restart);
}

/** The action of `restart`; `startOrRestart <file>` (start-or.ts) runs it too. */
export async function restart(tokens: string[], opts: FileTargetOptions & { wait?: boolean }): Promise<void> {
  const wait = opts.wait !== false;
  const { target, file } = await resolveTargets(tokens, opts.only);
  const update_env = opts.updateEnv ? updateEnvOf(file, opts.env) : null;
  await withClient(async (c) => {
    if (!file) {
      reportFailures((await c.call('process.restart', { target, update_env, wait })).processes);
    } else {
      const running = await existing(c, target);
      if (running.length > 0) {
        const fileParam = fileParamOf(file, opts.env);
        const r = await c.call('process.restart', {
          target: running,
          update_env,
          file: fileParam,
          wait,
        });
        for (const n of r.notes ?? []) warnNote(n);
        reportFailures(r.processes);
      }
      const missing = target.filter((n) => !running.includes(n));
      if (missing.length > 0) await startMissing(c, file, missing, opts);
    }
    printTable((await c.call('process.list')).processes);
  });
}
