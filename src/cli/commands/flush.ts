// `tend flush [target…]`: empty the log files (rotated files are kept).
import type { Command } from 'commander';
import { withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('flush')
    .argument('[target...]', 'name, id, namespace or "all" (default: all)')
    .description('empty the log files of the processes (rotated files are kept)')
    .action((target: string[]) =>
      withClient(async (c) => {
        const { files } = await c.call('logs.flush', { target: target.length > 0 ? target : ['all'] });
        process.stdout.write(files.map((f) => `flushed ${f}\n`).join(''));
      }),
    );
}
