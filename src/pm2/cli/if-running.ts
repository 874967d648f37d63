// tend-pm2's read-only verbs (jlist, prettylist, ls, describe, pid, id) never start a daemon: a cron job or an
// exporter that polls `pm2 jlist` after a `pm2 kill` must not bring the daemon (and, through its saved state,
// nothing else) back. With no daemon they answer as an empty daemon would: `[]`, the empty table, nothing,
// or "no process matches". (PM2 7 spawns its daemon for each of them and then prints the same: docs/pm2.md.)

import { withClient } from '../../cli/session.js';
import type { TendClient } from '../../client/client.js';
import { isTendError } from '../../protocol/errors.js';

/** Runs `fn` on the running daemon; with none running, returns `none()` without starting one. */
export async function ifRunning<T>(
  fn: (c: TendClient) => Promise<T>,
  none: () => T | Promise<T>,
): Promise<T> {
  let connected = false;
  try {
    return await withClient(
      (c) => {
        connected = true;
        return fn(c);
      },
      { spawn: false },
    );
  } catch (err) {
    // Only a daemon that is not there: an error of the command itself is the command's.
    if (!connected && isTendError(err) && err.code === 'TEND_ERR_DAEMON_UNREACHABLE') return none();
    throw err;
  }
}

/** Whether a daemon answers in the home, without starting one. */
export function daemonRunning(): Promise<boolean> {
  return ifRunning(
    async () => true,
    () => false,
  );
}
