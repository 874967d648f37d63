// The daemon's side of one app's cluster primary: spawns it (an ordinary child in its own process group,
// through the plain spawner, run by the app's Node binary), forks workers through it and routes its messages
// to their handles. It shuts the primary down when its last worker is gone; if the primary dies, the plain
// spawner has already killed its whole group, and every worker is reported gone, so the restart policy of
// each instance brings them back (with a new primary).
import type { ChildHandle, ChildHooks, ClusterLaunch, Spawner } from '../supervisor/ports.js';
import type { DaemonToPrimary, PrimaryToDaemon } from './messages.js';
import { WorkerHandle } from './worker-handle.js';

export interface PrimaryDeps {
  /** The plain spawner (child_process, own process group, tree reaped on exit). */
  spawner: Spawner;
  /** dist/cluster-primary.js, or null when it cannot be found. */
  script: string | null;
  log(line: string): void;
  /** The primary takes no more workers (shutting down or gone). */
  onRetired(primary: PrimaryProcess): void;
}

/** Lines of the primary's own stderr kept for the reason of a failure. */
const STDERR_TAIL = 5;
/** A primary told to exit that is still there after this long is killed (it has no worker left to spare). */
const EXIT_GRACE_MS = 2000;

export class PrimaryProcess {
  private readonly child: ChildHandle | null = null;
  private readonly workers = new Map<number, WorkerHandle>();
  private state: 'running' | 'closing' | 'exited' = 'running';
  private readonly stderrTail: string[] = [];
  /** Why the primary cannot take workers (it failed to start, or died). */
  private failure: string | null = null;
  private resolveClosed!: () => void;
  /** Resolves once the primary process is gone. */
  readonly closed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(
    private readonly target: ClusterLaunch,
    cwd: string,
    env: Readonly<Record<string, string>>,
    private readonly deps: PrimaryDeps,
  ) {
    if (deps.script === null) {
      this.state = 'exited';
      this.failure = 'dist/cluster-primary.js not found (run npm run build)';
      this.resolveClosed();
      return;
    }
    this.child = deps.spawner.spawn(
      { command: target.interpreter, args: [deps.script], cwd, env, ipc: true },
      {
        onSpawnError: (err) => this.gone(`cannot start ${target.interpreter}: ${err.code ?? err.message}`),
        onExit: (code, signal) => this.gone(this.describeExit(code, signal)),
        onMessage: (message) => this.receive(message as PrimaryToDaemon),
      },
    );
    this.child.stdout?.on('data', (chunk: Buffer) => this.logOutput(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.logOutput(chunk));
    this.send({
      type: 'setup',
      exec: target.script,
      args: [...target.args],
      execArgv: [...target.execArgv],
      cwd,
    });
    deps.log(`${this.label} started pid ${this.child.pid} (${target.interpreter})`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether new workers may be forked here. */
  get accepting(): boolean {
    return this.state === 'running';
  }

  private get label(): string {
    return `cluster primary of ${this.target.app}`;
  }

  fork(ref: number, env: Readonly<Record<string, string>>, hooks: ChildHooks): WorkerHandle {
    const handle = new WorkerHandle(this, ref, hooks);
    if (this.state !== 'running') {
      // Reported asynchronously, as a spawner must (the unit is still inside its spawn effect).
      const reason = this.failure ?? `${this.label} is shutting down`;
      process.nextTick(() => handle.primaryGone(reason));
      return handle;
    }
    this.workers.set(ref, handle);
    this.send({ type: 'fork', ref, env: { ...env } });
    return handle;
  }

  send(message: DaemonToPrimary): boolean {
    return this.child?.send(message) ?? false;
  }

  workerGone(ref: number): void {
    this.workers.delete(ref);
    if (this.workers.size > 0 || this.state !== 'running') return;
    // Checked after the unit heard of the exit: a restart it launched at once is already in `workers`.
    this.deps.log(`${this.label}: no worker left, shutting down`);
    this.shutdown();
  }

  /** Tells the primary to exit (it kills workers it may still have); SIGKILL if it does not. */
  shutdown(): void {
    if (this.state === 'exited') return;
    if (this.state === 'running') this.deps.onRetired(this);
    this.state = 'closing';
    if (!this.send({ type: 'shutdown' })) {
      this.child?.signalTree('SIGKILL');
      return;
    }
    const timer = setTimeout(() => this.child?.signalTree('SIGKILL'), EXIT_GRACE_MS);
    timer.unref();
    void this.closed.then(() => clearTimeout(timer));
  }

  private receive(m: PrimaryToDaemon): void {
    const worker = this.workers.get(m.ref);
    if (!worker) return;
    switch (m.type) {
      case 'forked':
        worker.forked(m.pid, m.error);
        return;
      case 'listening':
        worker.listening(m.address, m.port);
        return;
      case 'ready':
        worker.ready();
        return;
      case 'message':
        worker.message(m.message);
        return;
      case 'disconnected':
        worker.disconnected();
        return;
      case 'output':
        worker.output(m.fd, Buffer.from(m.data, 'base64'));
        return;
      case 'eof':
        worker.eof(m.fd);
        return;
      case 'exit':
        worker.exited(m.code, m.signal);
        return;
    }
  }

  private gone(reason: string): void {
    if (this.state === 'exited') return;
    const unexpected = this.state === 'running' || this.workers.size > 0;
    if (this.state === 'running') this.deps.onRetired(this);
    this.state = 'exited';
    this.failure = reason;
    if (unexpected) this.deps.log(`${this.label} ${reason}; ${this.workers.size} worker(s) lost`);
    else this.deps.log(`${this.label} exited`);
    const workers = [...this.workers.values()];
    this.workers.clear();
    for (const worker of workers) worker.primaryGone(`${this.label} ${reason}`);
    this.resolveClosed();
  }

  private describeExit(code: number | null, signal: string | null): string {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    // The line that says what went wrong, not the stack frames under it nor Node's version banner.
    const tail = this.stderrTail.findLast((line) => !/^(at |Node\.js v)/.test(line.trim()));
    return tail ? `${how}: ${tail}` : how;
  }

  /** The primary's own output (not the workers'): into the daemon's log, a line at a time. */
  private logOutput(chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      const text = line.trimEnd();
      if (!text) continue;
      this.deps.log(`${this.label}: ${text}`);
      this.stderrTail.push(text);
      if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
    }
  }
}
