import type { Command } from 'commander';
import { printTable, withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('list')
    .aliases(['ls', 'status', 'l'])
    .description('show every process: id, name, namespace, mode, pid, status, restarts, uptime, cpu, memory')
    .action(() =>
      withClient(async (c) => {
        printTable((await c.call('process.list')).processes);
      }),
    );

  program
    .command('jlist')
    .description('print the process list as JSON (one object per instance; the contract is in docs/cli.md)')
    .action(() =>
      withClient(async (c) => {
        process.stdout.write(`${JSON.stringify((await c.call('process.list')).processes)}\n`);
      }),
    );

  program
    .command('prettylist')
    .description('print the process list as indented JSON')
    .action(() =>
      withClient(async (c) => {
        process.stdout.write(`${JSON.stringify((await c.call('process.list')).processes, null, 2)}\n`);
      }),
    );
}
