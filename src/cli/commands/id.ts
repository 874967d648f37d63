// `tend id <target...>` (PM2's verb): the ids of the matching processes, one a line (PM2 prints an inspected
// array, `[ 1, 2 ]`, and `[]` for an unknown name; tend prints one id a line and fails on an unknown name).
import type { Command } from 'commander';
import { withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('id')
    .argument('<target...>', 'app name, namespace or "all"')
    .description('print the id of each matching process, one a line')
    .action((target: string[]) =>
      withClient(async (c) => {
        const { details } = await c.call('process.describe', { target });
        process.stdout.write(`${details.map((d) => d.process.id).join('\n')}\n`);
      }),
    );
}
