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
        const { recreated, files, failed } = await c.call('logs.reload');
        process.stdout.write(
          [...recreated.map((d) => `recreated ${d}\n`), ...files.map((f) => `reopened ${f}\n`)].join(''),
        );
        for (const f of failed)
          process.stderr.write(`error: cannot reopen ${f.path}: ${f.error} (TEND_ERR_LOG_FILE)\n`);
        // A file that cannot be written loses lines: not a success.
        if (failed.length > 0) process.exitCode = 1;
      }),
    );
}
