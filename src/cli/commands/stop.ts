import type { Command } from 'commander';
import type { TendClient } from '../../client/client.js';
import { isTendError } from '../../protocol/errors.js';
import { list } from '../options.js';
import { printTable, warn, warnNote, withClient } from '../session.js';
import { resolveTargets } from '../targets.js';

/** The running process names among `names` (an ecosystem file may name apps that were never started). */
export async function existing(c: TendClient, names: string[]): Promise<string[]> {
  const { processes } = await c.call('process.list');
  return names.filter((n) => processes.some((p) => p.name === n));
}

export function register(program: Command): void {
  program
    .command('stop')
    .argument('<target...>', 'name, id, namespace, "all", or an ecosystem file')
    .option('--only <names>', 'with an ecosystem file: only these apps', list)
    .option('--cascade', 'stop the apps that depend on the targets first (depends_on)')
    .description('stop processes (stop signal, then SIGKILL after kill_timeout, to the whole process tree)')
    .action(async (tokens: string[], opts: { only?: string[]; cascade?: boolean }) => {
      const { target, file } = await resolveTargets(tokens, opts.only);
      await withClient(async (c) => {
        const t = file ? await existing(c, target) : target;
        const r = await c.call('process.stop', {
          target: t.length > 0 ? t : target,
          cascade: opts.cascade === true,
        });
        for (const n of r.notes ?? []) warnNote(n);
        // A tend-runtime ends once its last app has stopped (its control socket goes with it): the stop is
        // done, and what it stopped is the table.
        const all = await c.call('process.list').catch((err: unknown) => {
          if (isTendError(err) && err.code === 'TEND_ERR_CONNECTION_CLOSED') return null;
          throw err;
        });
        if (all === null)
          warn(
            'the connection closed after the stop (a tend-runtime ends with its last app): listing what was stopped',
            'TEND_ERR_NOTICE',
          );
        printTable(all ? all.processes : r.processes);
      });
    });
}
