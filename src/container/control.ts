// The runtime's optional control socket (issue 15): `tend ls`, `tend describe`, `tend logs` (live lines) and
// the other verbs work inside the container, through THE daemon's socket adapter and dispatch (daemon/server.ts)
// over the runtime's services. It lives in $TEND_HOME like a daemon's, behind the same start lock, so a daemon
// and a runtime never share a home. On with --control, or when TEND_HOME is set; off with --no-control.
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { DaemonContext } from '../daemon/context.js';
import { StartLock } from '../daemon/lock.js';
import { createSocketServer, listenPrivately } from '../daemon/server.js';
import { TendError } from '../protocol/errors.js';
import type { HomePaths } from '../protocol/home.js';
import { ensureHome, REPLACE_NOFOLLOW } from '../runtime/private-dir.js';

export interface Control {
  close(): Promise<void>;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** The home, held (its start lock): the socket is served later (serve), the lock released at the end. */
export interface HomeClaim {
  /** Serves the socket. A failure leaves the lock held (the apps carry this home's tag): release() ends it. */
  serve(ctx: DaemonContext): Promise<Control>;
  release(): Promise<void>;
}

/**
 * Takes the home's start lock, before any app is spawned: the apps carry the home's tag (TEND_HOME) only when
 * the runtime holds it, or a daemon of that home recovering from a crash would end them as its own leftovers.
 * Throws (TEND_ERR_*) when the home is not usable or a daemon (or another runtime) holds it.
 */
export async function claimHome(paths: HomePaths): Promise<HomeClaim> {
  ensureHome(paths, { create: true, createLogs: false });
  const lock = await StartLock.acquire(paths.lockFile);
  if (!lock)
    throw new TendError('TEND_ERR_USAGE', {
      detail: `a tend daemon (or another tend-runtime) already serves ${paths.home}: give this runtime its own TEND_HOME, or --no-control`,
    });
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await lock.close();
  };
  return {
    release,
    async serve(ctx) {
      // We hold the lock: a socket left there belongs to a process that died.
      unlinkQuietly(paths.socket);
      const server = createSocketServer(ctx);
      await listenPrivately(server.server, paths.socket);
      // O_NOFOLLOW, as the daemon's: a link planted in place of the pid file is not written through.
      const pidFd = openSync(paths.pidFile, REPLACE_NOFOLLOW, 0o600);
      writeSync(pidFd, `${process.pid}\n`);
      closeSync(pidFd);
      lock.markReady();
      return {
        async close() {
          unlinkQuietly(paths.socket);
          unlinkQuietly(paths.pidFile);
          await server.close();
          await release();
        },
      };
    },
  };
}
