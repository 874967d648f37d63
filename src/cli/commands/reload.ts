// `tend reload <target...>`: zero-downtime for cluster-mode apps (workers replaced one at a time, each only
// once its replacement is ready); fork-mode processes are restarted. A failed replacement is an error.
import type { Command } from 'commander';
import { fileParamOf, startMissing, updateEnvOf } from '../ecosystem.js';
import { type FileTargetOptions, fileTargetOptions } from '../options.js';
import { reportFailures } from '../report-failures.js';
import { printTable, warnNote, withClient } from '../session.js';
import { resolveTargets } from '../targets.js';
import { existing } from './stop.js';

export function register(program: Command): void {
  fileTargetOptions(
    program.command('reload').argument('<target...>', 'name, id, namespace, "all", or an ecosystem file'),
  )
    .description(
      'zero-downtime reload of cluster-mode apps, one worker at a time (fork-mode processes are restarted); with an ecosystem file, its current configuration applies',
    )
    .action(reload);
}

/** The action of `reload`; `startOrReload <file>` (start-or.ts) runs it too. */
export async function reload(tokens: string[], opts: FileTargetOptions): Promise<void> {
  const { target, file } = await resolveTargets(tokens, opts.only);
  const update_env = opts.updateEnv ? updateEnvOf(file, opts.env) : null;
  await withClient(async (c) => {
    const running = file ? await existing(c, target) : target;
    try {
      if (running.length > 0) {
        const fileParam = file ? fileParamOf(file, opts.env) : null;
        const r = await c.call('process.reload', { target: running, update_env, file: fileParam });
        for (const n of r.notes ?? []) warnNote(n);
        reportFailures(r.processes);
      }
    } finally {
      // The table also after a failure: it shows the old workers still online.
      printTable((await c.call('process.list')).processes);
    }
    const missing = file ? target.filter((n) => !running.includes(n)) : [];
    if (file && missing.length > 0) {
      await startMissing(c, file, missing, opts);
      printTable((await c.call('process.list')).processes);
    }
  });
}
