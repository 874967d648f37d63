// `tend reloadLogs`: reopen every log file, for an external logrotate that moved them away.
import type { Command } from 'commander';
import { withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('reloadLogs')
    .alias('reload-logs')
    .description('reopen every log file (after an external logrotate renamed them)')
    .action(() =>
      withClient(async (c) => {
        const { files } = await c.call('logs.reload');
        process.stdout.write(files.map((f) => `reopened ${f}\n`).join(''));
      }),
    );
}
