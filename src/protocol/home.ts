// Where a daemon lives. Part of the contract: the CLI and the daemon must agree on every path.
import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface HomePaths {
  home: string;
  socket: string;
  pidFile: string;
  daemonLog: string;
  stateFile: string;
  logDir: string;
}

export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TEND_HOME;
  return resolve(fromEnv && fromEnv.length > 0 ? fromEnv : join(homedir(), '.tend'));
}

export function homePaths(home: string = resolveHome()): HomePaths {
  return {
    home,
    socket: join(home, 'daemon.sock'),
    pidFile: join(home, 'daemon.pid'),
    daemonLog: join(home, 'daemon.log'),
    stateFile: join(home, 'state.json'),
    logDir: join(home, 'logs'),
  };
}

/** Creates TEND_HOME private to the user (0700), and makes it so if it already existed. */
export function ensureHomeDir(paths: HomePaths): void {
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  chmodSync(paths.home, 0o700);
  mkdirSync(paths.logDir, { recursive: true, mode: 0o700 });
}

/**
 * The start lock's name: a Linux abstract-namespace socket (leading NUL), per user and per home. The daemon
 * holds it; a client asks it whether a daemon is starting (see daemon/lock.ts).
 */
export function lockName(home: string): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return `\0tend-${uid}-${fnv1a(home, 0x811c9dc5)}${fnv1a(home, 0x01000193)}`;
}

/**
 * 32-bit FNV-1a of a string, as 8 hex digits. Two of them (different offsets) name a home in the lock: not a
 * security boundary (the name is per uid and the daemon checks the socket it then talks to), and loading
 * node:crypto for it would cost every daemon ~2 MiB RSS and every CLI its load time.
 */
function fnv1a(text: string, offset: number): string {
  let h = offset >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
