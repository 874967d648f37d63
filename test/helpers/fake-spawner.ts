// A scripted Spawner: each spawn creates a FakeChild the test drives (exit, ready message, spawn error).
import { PassThrough } from 'node:stream';
import type {
  ChildHandle,
  ChildHooks,
  OutputSink,
  OutputSinks,
  SpawnRequest,
} from '../../src/supervisor/ports.js';

export class FakeChild implements ChildHandle {
  /** What the test writes here is the child's output (the ready line is read from it). */
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  /** The notify pipe (fd 3), when the request asked for one. */
  readonly notify: PassThrough | null;
  readonly signals: string[] = [];
  readonly sent: unknown[] = [];
  constructor(
    readonly pid: number | undefined,
    readonly req: SpawnRequest,
    private readonly hooks: ChildHooks,
  ) {
    this.notify = req.notify ? new PassThrough() : null;
  }
  signalTree(signal: NodeJS.Signals): void {
    this.signals.push(signal);
  }
  send(message: unknown): boolean {
    this.sent.push(message);
    return this.req.ipc;
  }
  exit(code: number | null, signal: string | null = null): void {
    this.hooks.onExit(code, signal);
  }
  message(m: unknown): void {
    this.hooks.onMessage(m);
  }
  failSpawn(code = 'ENOENT'): void {
    this.hooks.onSpawnError(Object.assign(new Error(code), { code }));
  }
  /** A cluster worker's 'listening'. */
  listening(port = 3000): void {
    this.hooks.onListening?.({ address: '127.0.0.1', port });
  }
}

/** A cluster worker: disconnect() is recorded, and completes when the test says so. */
export class FakeWorker extends FakeChild {
  disconnects = 0;
  private afterDisconnect: (() => void)[] = [];
  disconnect(then: () => void): void {
    this.disconnects += 1;
    this.afterDisconnect.push(then);
  }
  /** The worker stopped serving (its servers closed). */
  disconnected(): void {
    const waiting = this.afterDisconnect;
    this.afterDisconnect = [];
    for (const then of waiting) then();
  }
}

export class FakeSpawner {
  readonly children: FakeChild[] = [];
  private nextPid = 4000;
  /** When set, the next spawn fails (no pid), as ENOENT does. */
  failNext = false;
  spawn(req: SpawnRequest, hooks: ChildHooks): ChildHandle {
    const pid = this.failNext ? undefined : this.nextPid++;
    const child = req.cluster ? new FakeWorker(pid, req, hooks) : new FakeChild(pid, req, hooks);
    this.failNext = false;
    this.children.push(child);
    return child;
  }
  get last(): FakeChild {
    const c = this.children.at(-1);
    if (!c) throw new Error('nothing spawned');
    return c;
  }
}

export const nullSink: OutputSink = { attach() {}, recentStderr: () => [], close: async () => {} };
export const nullSinks: OutputSinks = { open: () => nullSink };
