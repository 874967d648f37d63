// The cluster primary of one app (bundled alone as dist/cluster-primary.js). The daemon spawns it with the
// APP's Node binary, in a process group of its own, and drives it over the IPC channel (messages.ts): fork a
// worker with a given environment, disconnect one, pass it a message, shut down. Node's cluster module does
// the rest: it owns the listening sockets and hands each new connection to the next worker in turn
// (SCHED_RR), so the daemon never carries a byte of the app's traffic.
//
// Workers run the user's script as their main module (`node <node_args> script args`, exactly as fork mode
// would), so CommonJS, ES modules, top-level await and loaders such as `--import tsx` behave as usual. Their
// output is piped here and forwarded to the daemon, which writes it to the instance's log files.
//
// This file must stay small and dependency-free: it runs on whatever Node version the app uses.
import type { Serializable } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { SPAWN_TAG } from '../runtime/env-tag.js';
import type { DaemonToPrimary, PrimaryToDaemon } from './messages.js';

/** After a worker exits, how long its pipes may stay open (a descendant holding them) before the exit is
 * reported anyway. Normally they close together with the process. */
const EXIT_REPORT_GRACE_MS = 500;
/** Output waiting to be written to the daemon: above HIGH the workers' pipes are paused until below LOW, so a
 * chatty worker blocks on its writes instead of this process buffering without bound. */
const HIGH_WATER = 8 * 1024 * 1024;
const LOW_WATER = 1024 * 1024;

interface Tracked {
  worker: Worker;
  streams: Readable[];
  openStreams: number;
  exit: { code: number | null; signal: string | null } | null;
  reported: boolean;
  timer: NodeJS.Timeout | null;
}

const workers = new Map<number, Tracked>();
let pendingBytes = 0;
let paused = false;
let daemonGone = false;
let ready = false;

function send(message: PrimaryToDaemon): void {
  if (!process.connected || !process.send) return;
  const bytes = message.type === 'output' ? message.data.length : 0;
  pendingBytes += bytes;
  const done = (): void => {
    pendingBytes -= bytes;
    if (paused && pendingBytes < LOW_WATER) flow(true);
  };
  try {
    // With a callback, a failed write (the daemon just died) is reported to it, not thrown or emitted.
    process.send(message, undefined, undefined, done);
  } catch {
    done();
    return;
  }
  if (!paused && pendingBytes > HIGH_WATER) flow(false);
}

function flow(on: boolean): void {
  paused = !on;
  for (const t of workers.values()) for (const s of t.streams) on ? s.resume() : s.pause();
}

function exitIfIdle(): void {
  if (daemonGone && workers.size === 0) process.exit(0);
}

/** Read before the environment is cleared at setup. */
const spawnTag = process.env[SPAWN_TAG];

function forkWorker(ref: number, env: Record<string, string>): void {
  if (!ready) {
    send({ type: 'forked', ref, pid: null, error: 'the cluster primary was not set up' });
    return;
  }
  let worker: Worker;
  try {
    // The primary's spawn tag goes on to its workers (and so to whatever they start): when the primary is
    // reaped, the daemon ends by this tag what its workers' descendants left behind (runtime/env-tag.ts).
    worker = cluster.fork(spawnTag === undefined ? env : { ...env, [SPAWN_TAG]: spawnTag });
  } catch (err) {
    send({ type: 'forked', ref, pid: null, error: err instanceof Error ? err.message : String(err) });
    return;
  }
  const tracked: Tracked = { worker, streams: [], openStreams: 0, exit: null, reported: false, timer: null };
  workers.set(ref, tracked);

  const reportExit = (): void => {
    if (tracked.reported || !tracked.exit) return;
    tracked.reported = true;
    if (tracked.timer) clearTimeout(tracked.timer);
    workers.delete(ref);
    send({ type: 'exit', ref, ...tracked.exit });
    exitIfIdle();
  };
  const pid = worker.process.pid;
  // Without an 'error' listener, a failed spawn or a failed send to the worker would kill this process.
  worker.on('error', (err: NodeJS.ErrnoException) => {
    if (pid !== undefined || tracked.reported) return;
    tracked.reported = true;
    workers.delete(ref);
    send({ type: 'forked', ref, pid: null, error: err.code ?? err.message });
    exitIfIdle();
  });
  if (pid === undefined) return; // 'error' follows
  send({ type: 'forked', ref, pid, error: null });

  for (const [fd, stream] of [
    [1, worker.process.stdout],
    [2, worker.process.stderr],
  ] as const) {
    if (!stream) continue;
    tracked.streams.push(stream);
    tracked.openStreams += 1;
    if (paused) stream.pause();
    stream.on('data', (chunk: Buffer) => send({ type: 'output', ref, fd, data: chunk.toString('base64') }));
    stream.on('error', () => {});
    stream.once('close', () => {
      send({ type: 'eof', ref, fd });
      tracked.openStreams -= 1;
      if (tracked.openStreams === 0) reportExit();
    });
  }
  worker.on('listening', (address: { address?: string | null; port?: number | null }) =>
    send({ type: 'listening', ref, address: address.address ?? null, port: address.port ?? null }),
  );
  worker.on('message', (message: unknown) => {
    const isReady =
      message === 'ready' ||
      (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready');
    if (isReady) send({ type: 'ready', ref });
    else if (isAnswer(message)) send({ type: 'message', ref, message });
  });
  worker.on('disconnect', () => send({ type: 'disconnected', ref }));
  worker.on('exit', (code: number | null, signal: string | null) => {
    tracked.exit = { code, signal };
    // Report once the pipes have delivered the last output (the daemon then has all of it), or soon anyway.
    if (tracked.openStreams === 0) reportExit();
    else tracked.timer = setTimeout(reportExit, EXIT_REPORT_GRACE_MS);
  });
}

/** `--require dist/cluster-worker.cjs` (worker-preload.ts: keep-alive connections drain when tend stops a
 * worker), first, so that it is in place before the app's own preloads and loaders. */
function preload(): string[] {
  const file = fileURLToPath(new URL('./cluster-worker.cjs', import.meta.url));
  return existsSync(file) ? ['--require', file] : [];
}

/** An answer to a question the daemon passed on (`{ type: 'tend:metrics', id, … }`: supervisor/app-requests.ts). */
function isAnswer(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const { type, id } = message as { type?: unknown; id?: unknown };
  return typeof type === 'string' && type.startsWith('tend:') && typeof id === 'number';
}

function handle(message: DaemonToPrimary): void {
  switch (message.type) {
    case 'setup': {
      // Must be set before the first fork: every new connection goes to the next worker in turn.
      cluster.schedulingPolicy = cluster.SCHED_RR;
      cluster.setupPrimary({
        exec: message.exec,
        args: message.args,
        execArgv: [...preload(), ...message.execArgv],
        cwd: message.cwd,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      // cluster.fork() gives a worker this process's environment plus its own: clear ours, so a worker's
      // environment is exactly the one the daemon computed for its instance.
      for (const key of Object.keys(process.env)) delete process.env[key];
      ready = true;
      return;
    }
    case 'fork':
      forkWorker(message.ref, message.env);
      return;
    case 'disconnect': {
      const t = workers.get(message.ref);
      if (!t || t.exit) return; // its exit is (or will be) reported
      if (t.worker.isConnected()) t.worker.disconnect();
      else send({ type: 'disconnected', ref: message.ref });
      return;
    }
    case 'send': {
      const t = workers.get(message.ref);
      if (t?.worker.isConnected()) t.worker.send(message.message as Serializable, undefined, () => {});
      return;
    }
    case 'shutdown':
      for (const t of workers.values()) t.worker.process.kill('SIGKILL');
      process.exit(0);
  }
}

process.on('message', (message: DaemonToPrimary) => handle(message));
// The daemon is gone (it crashed or was killed): the workers keep serving, as fork-mode processes would;
// this process leaves with the last of them.
process.on('disconnect', () => {
  daemonGone = true;
  exitIfIdle();
});
