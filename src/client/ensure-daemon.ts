// Finding the daemon, or starting it: connect to the socket; if nobody answers, ask the start lock whether a
// daemon is on its way (and wait for its "ready"), else spawn one and wait for its readiness line. Twenty CLIs
// racing here end with one daemon: only the lock holder serves, the others say "busy" and everyone waits on
// the lock's "ready". Nothing here polls: every wait is on a socket or a pipe, bounded by a deadline.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TendError } from '../protocol/errors.js';
import type { HomePaths } from '../protocol/home.js';
import { withExtraCaMoved } from '../runtime/extra-ca.js';
import { APPEND_NOFOLLOW, checkPrivateSocket, ensureHome } from '../runtime/private-dir.js';

// What a connect to a daemon (or lock) socket says when nobody serves it. ECONNRESET too: a daemon killed
// -9 has its listening socket torn down a moment after its connections, and a connect in that moment is
// reset rather than refused (seen in CI, once in three whole-suite runs: a command right after the kill
// failed with TEND_ERR_DAEMON_UNREACHABLE instead of starting a fresh daemon). The lock decides from there.
const ABSENT = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET']);

export function dial(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = netConnect(path);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

export async function openDaemonSocket(
  paths: HomePaths,
  opts: { spawn: boolean; timeoutMs: number },
): Promise<Socket> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastReason = '';
  // Before anything is sent (the first request may carry the caller's environment): the home must be ours
  // and private, and so must the socket (Node has no SO_PEERCRED: the socket file's owner and mode are the
  // daemon's credentials, and in a home only we can write, nobody else can have put it there).
  if (!ensureHome(paths, { create: opts.spawn, createLogs: false })) {
    throw new TendError('TEND_ERR_DAEMON_UNREACHABLE', { socket: paths.socket, reason: 'not running' });
  }
  for (let attempt = 0; attempt < 6 && Date.now() < deadline; attempt++) {
    if (checkPrivateSocket(paths.socket, 'the daemon socket')) {
      try {
        return await dial(paths.socket);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (!ABSENT.has(code)) {
          throw new TendError('TEND_ERR_DAEMON_UNREACHABLE', {
            socket: paths.socket,
            reason: String(code || err),
          });
        }
      }
    }
    if (!opts.spawn)
      throw new TendError('TEND_ERR_DAEMON_UNREACHABLE', { socket: paths.socket, reason: 'not running' });
    const lock = await askLock(paths.lockFile, deadline);
    if (lock.state === 'waited') {
      throw new TendError('TEND_ERR_LOCK_HELD', {
        lock: paths.lockFile,
        pid: lock.pid ?? null,
        waited_ms: opts.timeoutMs,
        log: paths.daemonLog,
      });
    }
    if (lock.state !== 'none') continue; // a daemon is ready, or its starter died: look again
    const answer = await spawnDaemon(paths, deadline);
    if (answer.startsWith('error')) lastReason = answer.slice(6).trim();
    else lastReason = answer;
    if (answer !== 'ready' && answer !== 'busy') {
      throw new TendError('TEND_ERR_DAEMON_START_FAILED', {
        reason: lastReason || lastLogLine(paths),
        log: paths.daemonLog,
      });
    }
  }
  throw new TendError('TEND_ERR_DAEMON_START_FAILED', {
    reason: `no answer within ${opts.timeoutMs} ms${lastReason ? ` (${lastReason})` : ''}`,
    log: paths.daemonLog,
  });
}

interface LockAnswer {
  /** ready: the holder serves; none: nobody holds it; lost: the holder went away; waited: until the deadline. */
  state: 'ready' | 'none' | 'lost' | 'waited';
  /** The holder, as it said on connecting. */
  pid: number | null;
}

/** Asks the start lock (daemon/lock.ts) whether a daemon is starting, and waits for its `ready`. */
function askLock(file: string, deadline: number): Promise<LockAnswer> {
  if (!checkPrivateSocket(file, 'the start lock')) return Promise.resolve({ state: 'none', pid: null });
  return new Promise((resolve) => {
    const s = netConnect(file);
    let waited = false;
    const timer = setTimeout(
      () => {
        waited = true;
        s.destroy();
      },
      Math.max(0, deadline - Date.now()),
    );
    let answer = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      answer += d;
    });
    const pid = () => {
      const m = /^holder (\d+)$/m.exec(answer);
      return m ? Number(m[1]) : null;
    };
    s.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // ECONNREFUSED: a dead daemon's lock; the daemon we spawn removes it.
      resolve({ state: ABSENT.has(err.code ?? '') ? 'none' : 'lost', pid: null });
    });
    s.on('close', () => {
      clearTimeout(timer);
      const ready = /^ready$/m.test(answer);
      resolve({ state: ready ? 'ready' : waited ? 'waited' : 'lost', pid: pid() });
    });
  });
}

function daemonEntry(): string {
  if (process.env.TEND_DAEMON_ENTRY) return process.env.TEND_DAEMON_ENTRY;
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundled: dist/cli.cjs or dist/chunks/*.js; from source (tests run src/ through tsx): src/client/.
  for (const candidate of ['daemon.cjs', '../daemon.cjs', '../../dist/daemon.cjs']) {
    const file = join(here, candidate);
    if (existsSync(file)) return file;
  }
  throw new TendError('TEND_ERR_DAEMON_START_FAILED', {
    reason: 'dist/daemon.cjs not found (run npm run build)',
    log: '-',
  });
}

/**
 * V8 flags of the daemon. `--lite-mode` turns off the optimising compilers and allocates feedback lazily: the
 * daemon is a mostly idle I/O loop, and without it V8's optimised code and feedback add ~8 MiB RSS once a few
 * apps run (measured by the footprint scenario of `npm run bench`), while log throughput stays the same.
 */
// --no-expose-wasm: lite mode turns WebAssembly off anyway; saying so spares daemon.log V8's warning about it.
// Node 24 refuses that flag ("bad option") and gives no warning without it: there, lite mode alone.
// --gc-memory-reducer-start-delay-ms: V8's memory reducer (idle-time GCs that hand the young generation and
// free pages back) starts 1 s after a full GC instead of 8 s. Starting 20 apps leaves the daemon at 46 MiB
// until the reducer runs, then 42: with the default delay, the first 8 s of every burst of work (and the
// footprint row's 10 s window, half of it) sat 4 MiB high (measured 2026-12-04; accepted by Node 20, 22, 24).
// --enable-experimental-regexp-engine-on-excessive-backtracks: an expression that backtracks without end is
// finished by V8's linear engine after 50 000 backtracks instead of blocking the daemon's one thread (tenth
// audit: a ready_log_line of the user's, `/(a+)+$/`, and a line of 40 a's from the app wedged every command for
// hours; 20 s for 28 a's, 1 ms with the flag). Expressions that engine cannot run (look-arounds,
// back-references) keep backtracking: tend's own are written to run in linear time (protocol/secrets.ts).
const REGEXP_FALLBACK = '--enable-experimental-regexp-engine-on-excessive-backtracks';
export const DAEMON_NODE_FLAGS: readonly string[] = [
  '--lite-mode',
  ...(Number(process.versions.node.split('.')[0]) >= 24 ? [] : ['--no-expose-wasm']),
  '--gc-memory-reducer-start-delay-ms=1000',
  REGEXP_FALLBACK,
];

/** Spawns a detached daemon and resolves with its readiness line (`ready`, `busy` or `error: …`). */
function spawnDaemon(paths: HomePaths, deadline: number): Promise<string> {
  // O_NOFOLLOW: daemon.log is tend's own file in its home; a link there is not followed.
  const logFd = openSync(paths.daemonLog, APPEND_NOFOLLOW, 0o600);
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, daemonEntry()], {
    detached: true,
    cwd: paths.home,
    stdio: ['ignore', logFd, logFd, 'pipe'],
    // NODE_EXTRA_CA_CERTS moved aside (runtime/extra-ca.ts): the daemon puts it back for what it starts.
    env: { ...withExtraCaMoved(daemonEnvironment()), TEND_HOME: paths.home, TEND_NOTIFY_FD: '3' },
  });
  closeSync(logFd);
  child.unref();
  const pipe = child.stdio[3] as Socket;
  return new Promise((resolve) => {
    let line = '';
    const timer = setTimeout(() => finish('error: no readiness signal'), Math.max(0, deadline - Date.now()));
    const finish = (answer: string) => {
      clearTimeout(timer);
      pipe.destroy();
      resolve(answer);
    };
    pipe.setEncoding('utf8');
    pipe.on('data', (d: string) => {
      line += d;
      if (line.includes('\n')) finish(line.split('\n')[0]!.trim());
    });
    pipe.on('error', () => {});
    pipe.on('close', () => finish(line.trim() || 'error: the daemon exited before it was ready'));
    child.on('error', (err) => finish(`error: ${err.message}`));
  });
}

function lastLogLine(paths: HomePaths): string {
  try {
    const lines = readFileSync(paths.daemonLog, 'utf8').trim().split('\n');
    return lines.at(-1) ?? '';
  } catch {
    return '';
  }
}

/**
 * The daemon's environment: the caller's, minus the identity tend gives an instance. A CLI run by a managed
 * app (a deploy hook, a job) carries TEND_ID; a daemon that kept it would look like one of the old daemon's
 * processes to crash recovery's sweep (runtime/end-recorded.ts), and be no app's process at all.
 */
function daemonEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [
    'TEND_ID',
    // The spawn tag of the app that ran this CLI: a daemon carrying it would be ended with that app's tree.
    'TEND_SPAWN_ID',
    'TEND_INSTANCE',
    'TEND_APP_NAME',
    'TEND_NAMESPACE',
    'NODE_APP_INSTANCE',
    'pm_id',
  ])
    delete env[name];
  return env;
}
