import type { Command } from 'commander';
import { isTendError } from '../../protocol/errors.js';
import { withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('kill')
    .description('stop every process, then the daemon')
    .action(async () => {
      try {
        await withClient(
          async (c) => {
            const closed = c.closed;
            const { processes } = await c.call('daemon.kill');
            // The daemon closes connections last (state.json written, socket and pid file removed): return
            // then, so the next command never meets a daemon on its way out.
            await closed;
            process.stdout.write(
              `Stopped ${processes.length} process${processes.length === 1 ? '' : 'es'} and the daemon.\n`,
            );
          },
          { spawn: false },
        );
      } catch (err) {
        if (isTendError(err) && err.code === 'TEND_ERR_DAEMON_UNREACHABLE') {
          process.stdout.write('The daemon is not running.\n');
          return;
        }
        throw err;
      }
    });

  program
    .command('ping')
    .description('start the daemon if needed and print its identity')
    .action(() =>
      withClient(async (c) => {
        const d = await c.daemon();
        process.stdout.write(
          `pong: daemon ${d.version}, pid ${d.pid}, protocol ${d.protocol}, home ${d.home}\n`,
        );
        for (const line of d.startup_notices ?? []) process.stdout.write(`notice: ${line}\n`);
      }),
    );
}
