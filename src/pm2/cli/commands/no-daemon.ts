// `start --no-daemon`: PM2 then runs its daemon inside the command, in the foreground, printing the apps'
// logs, and Ctrl-C ends everything. tend's daemon is its own process; the same contract from outside: the
// command stays, follows the started apps' logs (tend's `logs`), and on SIGINT or SIGTERM stops the apps and
// the daemon (`kill`) before it exits. For one app in a container, tend-runtime is the better fit.

import { runProgram } from '../../../cli/program.js';
import { withClient } from '../../../cli/session.js';

export async function followUntilInterrupted(names: readonly string[]): Promise<void> {
  let ending = false;
  const end = () => {
    if (ending) return;
    ending = true;
    // The log follower (tend's `logs`) ends the process non-zero when the daemon goes away, which is what
    // this stop does: from here on, every way out is the clean exit Ctrl-C asked for.
    const exit = process.exit.bind(process);
    process.exit = ((_code?: number) => exit(0)) as typeof process.exit;
    // As `tend kill`: return once the daemon closed the connection (pid file and socket removed).
    withClient(
      async (c) => {
        const closed = c.closed;
        await c.call('daemon.kill');
        await closed;
      },
      { spawn: false },
    )
      .catch(() => {})
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  await runProgram(['node', 'tend', 'logs', ...names]);
  // The log stream ended by itself (the daemon went away): nothing left to follow.
  await new Promise<void>(() => {});
}
