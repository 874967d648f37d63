// `tend update` overlaps the start of the next daemon with the stop of this one: the successor is spawned
// (from the daemon bundle on disk now, i.e. the installed version) before the apps are stopped, loads its
// code, and waits on a pipe from its predecessor; the predecessor releases it once it has written its last
// state.json and given up the start lock. If the predecessor dies instead, the pipe closes all the same.
// A CLI may start a daemon in the same instant: whichever takes the lock restores the list, the other
// reports "busy" and exits.

import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import type { HomePaths } from '../protocol/home.js';
import { withExtraCaMoved } from '../runtime/extra-ca.js';
import { APPEND_NOFOLLOW } from '../runtime/private-dir.js';

export interface Successor {
  /** Resolves when the successor has loaded its code and waits (bounded by maxMs). */
  loaded(maxMs: number): Promise<void>;
  /** Lets the successor take the lock (call after releasing it). */
  release(): void;
}

export function spawnSuccessor(paths: HomePaths, log: (line: string) => void): Successor | null {
  const entry = process.argv[1];
  if (!entry) return null;
  const logFd = openSync(paths.daemonLog, APPEND_NOFOLLOW, 0o600); // not through a link
  try {
    const env: Record<string, string | undefined> = {
      ...withExtraCaMoved(process.env),
      TEND_HOME: paths.home,
      TEND_AFTER_FD: '3',
    };
    delete env.TEND_NOTIFY_FD;
    // The same Node flags as this daemon (DAEMON_NODE_FLAGS in client/ensure-daemon.ts).
    const child = spawn(process.execPath, [...process.execArgv, entry], {
      detached: true,
      cwd: paths.home,
      stdio: ['ignore', logFd, logFd, 'pipe'],
      env,
    });
    child.on('error', (err) => log(`successor daemon: ${err.message}`));
    child.unref();
    const pipe = child.stdio[3] as Socket;
    pipe.on('error', () => {});
    pipe.unref();
    // The successor says "waiting" once its code is loaded; it may also die (the pipe closes).
    const waiting = new Promise<void>((resolve) => {
      pipe.once('data', () => resolve());
      pipe.once('close', () => resolve());
    });
    log(`successor daemon spawned, pid ${child.pid}`);
    return {
      loaded: (maxMs) =>
        Promise.race([waiting, new Promise<void>((resolve) => setTimeout(resolve, maxMs).unref())]),
      release: () => pipe.destroy(),
    };
  } finally {
    closeSync(logFd);
  }
}

/**
 * In a successor: resolves (true) once the predecessor released it (or died); at once (false) for any
 * other daemon.
 */
export function awaitPredecessor(maxMs = 120_000): Promise<boolean> {
  const fd = Number(process.env.TEND_AFTER_FD);
  delete process.env.TEND_AFTER_FD;
  if (!Number.isInteger(fd) || fd < 3) return Promise.resolve(false);
  return new Promise((resolve) => {
    let pipe: Socket;
    try {
      pipe = new Socket({ fd, readable: true, writable: true });
    } catch {
      return resolve(true);
    }
    // Bounded: a predecessor stuck in its stop must not keep a daemon waiting forever.
    const timer = setTimeout(done, maxMs);
    function done() {
      clearTimeout(timer);
      pipe.destroy();
      resolve(true);
    }
    pipe.on('error', done);
    pipe.on('close', done);
    pipe.on('end', done);
    pipe.resume();
    // Loaded: the predecessor may let go now, knowing this daemon (not one a CLI would spawn) takes over.
    pipe.write('waiting\n');
  });
}
