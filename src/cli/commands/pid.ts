// `tend pid [target...]` (PM2's verb): the pids of the matching processes, one a line, for `kill -USR2
// $(tend pid api)`. Only running processes print: PM2 prints 0 for a stopped one, which `kill 0` would take
// for the caller's own process group (docs/pm2.md). The daemon resolves the target (process.describe), so
// names, ids, namespaces and `all` mean what they mean everywhere else.
import type { Command } from 'commander';
import { withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('pid')
    .argument('[target...]', 'name, id, namespace or "all" (default: all)')
    .description('print the pid of each running matching process, one a line (stopped ones print nothing)')
    .action((tokens: string[]) =>
      withClient(async (c) => {
        // No target: every process, and none at all is no error (nothing to print).
        if (tokens.length === 0 && (await c.call('process.list')).processes.length === 0) return;
        const target = tokens.length > 0 ? tokens : ['all'];
        const { details } = await c.call('process.describe', { target });
        const pids = details.flatMap((d) => (d.process.pid === null ? [] : [d.process.pid]));
        if (pids.length > 0) process.stdout.write(`${pids.join('\n')}\n`);
      }),
    );
}
