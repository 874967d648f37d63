// `tend reset <target...>` (PM2's verb): the restart counters of the matching processes start again from zero
// (restarts, unstable restarts, watch/memory/cron restarts). The processes keep running.
import type { Command } from 'commander';
import { printTable, withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('reset')
    .argument('<target...>', 'name, id, namespace or "all"')
    .description('zero the restart counters of processes (they keep running)')
    .action((target: string[]) =>
      withClient(async (c) => {
        await c.call('process.reset', { target });
        printTable((await c.call('process.list')).processes);
      }),
    );
}
