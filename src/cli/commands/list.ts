import type { Command } from 'commander';
import { jlist, list, prettylist } from './list-actions.js';

export function register(program: Command): void {
  program
    .command('list')
    .aliases(['ls', 'status', 'l'])
    .description('show every process: id, name, namespace, mode, pid, status, restarts, uptime, cpu, memory')
    .action(list);
  program
    .command('jlist')
    .description('print the process list as JSON (one object per instance; the contract is in docs/cli.md)')
    .action(jlist);
  program.command('prettylist').description('print the process list as indented JSON').action(prettylist);
}
