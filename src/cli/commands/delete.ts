import type { Command } from 'commander';
import { list } from '../options.js';
import { printTable, withClient } from '../session.js';
import { resolveTargets } from '../targets.js';
import { existing } from './stop.js';

export function register(program: Command): void {
  program
    .command('delete')
    .alias('del')
    .argument('<target...>', 'name, id, namespace, "all", or an ecosystem file')
    .option('--only <names>', 'with an ecosystem file: only these apps', list)
    .description('stop processes and remove them from the list')
    .action(async (tokens: string[], opts: { only?: string[] }) => {
      const { target, file } = await resolveTargets(tokens, opts.only);
      await withClient(async (c) => {
        const t = file ? await existing(c, target) : target;
        await c.call('process.delete', { target: t.length > 0 ? t : target });
        printTable((await c.call('process.list')).processes);
      });
    });
}
