// The real Spawner: one child_process per start, in its own process group, shell-free.
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ChildHandle, ChildHooks, Spawner, SpawnRequest } from '../supervisor/ports.js';
import { SPAWN_TAG } from './env-tag.js';
import { FD_RESERVE, FDS_PER_SPAWN, fdShortage } from './fd-budget.js';
import { type KnownDescendants, reapTree, signalTree, waitGone } from './kill-tree.js';
import { explainSpawnError } from './spawn-error.js';

export interface SpawnerOptions {
  /** Descriptors a spawn must leave free (fd-budget.ts); null: no check, the OS's own EMFILE only (tests). */
  fdReserve?: number | null;
}

export function createSpawner(opts: SpawnerOptions = {}): Spawner {
  const reserve = opts.fdReserve === undefined ? FD_RESERVE : opts.fdReserve;
  // Unique per spawn across daemons: this daemon's pid and start, and a counter.
  const prefix = `${process.pid}.${Date.now().toString(36)}`;
  let spawns = 0;
  return { spawn: (req, hooks) => spawnChild(req, hooks, reserve, `${prefix}.${++spawns}`) };
}

function spawnChild(req: SpawnRequest, hooks: ChildHooks, reserve: number | null, tag: string): ChildHandle {
  // The notify pipe is fd 3 (TEND_NOTIFY_FD, NOTIFY_FD): the app writes sd_notify lines to it. The IPC
  // channel then comes after it (Node finds it by NODE_CHANNEL_FD, whatever its number).
  const stdio: StdioOptions = [
    'ignore',
    'pipe',
    'pipe',
    ...(req.notify ? (['pipe'] as const) : []),
    ...(req.ipc ? (['ipc'] as const) : []),
  ];
  // Refuse while the daemon can still say why: past its reserve of descriptors, the next client could not
  // even connect to read this app's last_error (fd-budget.ts).
  const shortage = reserve === null ? undefined : fdShortage(FDS_PER_SPAWN, reserve);
  if (shortage) return failed(shortage, hooks);
  let child: ChildProcess;
  try {
    child = spawn(req.command, [...req.args], {
      cwd: req.cwd,
      // The tag follows every descendant through forks, setsid and re-parenting: kill-tree finds by it what
      // left the group (env-tag.ts). Set last, so an app's own env cannot forge or drop it.
      env: { ...req.env, [SPAWN_TAG]: tag },
      // Own process group (pgid = pid): signalTree reaches the whole tree with kill(-pid), and a Ctrl-C or
      // SIGHUP aimed at the daemon's group never reaches the services.
      detached: true,
      stdio,
      // Arguments go to execve as an array: no shell, so no quoting bugs and no injection.
      shell: false,
    });
  } catch (err) {
    // Argument validation throws synchronously (a NUL byte in an argument, an unusable cwd type…). The port
    // promises data, not exceptions: report it like an OS refusal, after spawn() has returned its handle.
    return failed(explainSpawnError(err as NodeJS.ErrnoException, req), hooks);
  }
  return watch(child, hooks, tag, req);
}

/** A spawn that did not happen: reported after spawn() has returned its handle, as the port promises. */
function failed(err: NodeJS.ErrnoException, hooks: ChildHooks): ChildHandle {
  process.nextTick(() => hooks.onSpawnError(err));
  return deadHandle;
}

function watch(child: ChildProcess, hooks: ChildHooks, tag: string, req: SpawnRequest): ChildHandle {
  const pid = child.pid;
  const known: KnownDescendants = new Map();
  let spawned = false;
  let settled = false; // onSpawnError or onExit has been called: nothing more is reported

  child.once('spawn', () => {
    spawned = true;
  });
  child.on('error', (err: NodeJS.ErrnoException) => {
    // Before 'spawn', 'error' means the OS refused (ENOENT, EACCES, a missing cwd…) and no 'exit' follows.
    // After it, 'error' only comes from kill()/send() failures, which we handle where they happen; the
    // listener must stay anyway, because an 'error' without a listener would crash the daemon.
    if (spawned || settled) return;
    settled = true;
    // ENOENT of a script that exists: its #! interpreter is missing, said so (spawn-error.ts).
    hooks.onSpawnError(explainSpawnError(err, req));
  });
  child.on('message', (message: unknown) => hooks.onMessage(message));
  // 'exit', not 'close': 'close' waits for the stdio pipes to end, and a grandchild holding them open would
  // delay it forever. Output is not lost: the sink keeps reading until the pipes end on their own.
  child.once('exit', (code, signal) => {
    if (settled) return;
    settled = true;
    if (pid === undefined) return hooks.onExit(code, signal);
    // The supervisor hears of the exit only once nothing of the tree is left running.
    void waitGone(reapTree(pid, known, tag)).then(() => hooks.onExit(code, signal));
  });
  // The child is deliberately NOT unref()'d, although it is detached: the daemon owes the supervisor its
  // onExit and the tree a reap, and a daemon that is shutting down (server closed, waiting for its children)
  // must not slip out of its event loop before that. Nothing outlives the need: at exit Node closes the
  // process handle and the IPC channel, and reapTree kills whatever still held the stdout/stderr pipes, so
  // they end as soon as the output they hold has been read (the pipes stay referenced until then).
  return {
    pid,
    // On EMFILE/ENFILE Node gives up before creating the stdio streams: they are undefined, not null, and
    // 'error' follows on the next tick. The port's contract is null ("no stream").
    stdout: child.stdout ?? null,
    stderr: child.stderr ?? null,
    notify: req.notify ? ((child.stdio[3] as Readable | null | undefined) ?? null) : null,
    signalTree(signal: NodeJS.Signals): void {
      // After exit the pid (and its group id) may be recycled by an unrelated process: never signal it.
      if (pid === undefined || settled) return;
      signalTree(pid, signal, known, tag);
    },
    send(message: unknown): boolean {
      if (!child.connected) return false;
      try {
        // With a callback, a failed write (EPIPE, ERR_IPC_CHANNEL_CLOSED when the child just exited) is
        // passed to it instead of being emitted as 'error'. The message is then lost, like any message
        // to a process that is exiting. Node's false return only means "backlog": the message was queued.
        child.send(message as Parameters<ChildProcess['send']>[0], () => {});
        return true;
      } catch {
        return false; // e.g. a value the serialiser rejects
      }
    },
  };
}

const deadHandle: ChildHandle = {
  pid: undefined,
  stdout: null,
  stderr: null,
  notify: null,
  signalTree: () => {},
  send: () => false,
};
