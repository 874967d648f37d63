// A scripted Spawner: each spawn creates a FakeChild the test drives (exit, ready message, spawn error).
import type {
  ChildHandle,
  ChildHooks,
  OutputSink,
  OutputSinks,
  SpawnRequest,
} from '../../src/supervisor/ports.js';

export class FakeChild implements ChildHandle {
  readonly stdout = null;
  readonly stderr = null;
  readonly signals: string[] = [];
  readonly sent: unknown[] = [];
  constructor(
    readonly pid: number | undefined,
    readonly req: SpawnRequest,
    private readonly hooks: ChildHooks,
  ) {}
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
}

export class FakeSpawner {
  readonly children: FakeChild[] = [];
  private nextPid = 4000;
  /** When set, the next spawn fails (no pid), as ENOENT does. */
  failNext = false;
  spawn(req: SpawnRequest, hooks: ChildHooks): ChildHandle {
    const child = new FakeChild(this.failNext ? undefined : this.nextPid++, req, hooks);
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
