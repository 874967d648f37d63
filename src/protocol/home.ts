// Where a daemon lives. Part of the contract: the CLI and the daemon must agree on every path.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface HomePaths {
  home: string;
  socket: string;
  pidFile: string;
  daemonLog: string;
  stateFile: string;
  logDir: string;
  /** The start lock (daemon/lock.ts): a socket the daemon holds for its whole life. */
  lockFile: string;
}

export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TEND_HOME;
  return resolve(fromEnv && fromEnv.length > 0 ? fromEnv : join(userHome(), '.tend'));
}

/**
 * The user's home directory: $HOME, else the passwd entry's; `/` when there is neither (a uid with no passwd
 * entry and no HOME, as in a container run with `--user 12345` under some runtimes: Docker itself sets
 * HOME=/ then). os.homedir() throws there, and tend-runtime ended with TEND_ERR_INTERNAL (third audit).
 */
export function userHome(): string {
  try {
    return homedir();
  } catch {
    return '/';
  }
}

export function homePaths(home: string = resolveHome()): HomePaths {
  return {
    home,
    socket: join(home, 'daemon.sock'),
    pidFile: join(home, 'daemon.pid'),
    daemonLog: join(home, 'daemon.log'),
    stateFile: join(home, 'state.json'),
    logDir: join(home, 'logs'),
    lockFile: join(home, 'start.lock'),
  };
}

/** Bytes of a Unix socket path on Linux (sun_path is 108 bytes, one of them the terminating NUL). */
export const MAX_SOCKET_PATH = 107;

/**
 * The longest socket path tend binds in a home: the start lock's temporary name (`start.lock.<pid>`, a pid
 * has at most 7 digits on Linux) is longer than `daemon.sock` or `start.lock`.
 */
export function longestSocketPath(home: string): string {
  return join(home, 'start.lock.4194304');
}
