// The instance's current process: which one it is, since when it runs, and how a process of the instance is
// started. Every process the instance spawns is numbered (its generation) and its hooks carry that number, so
// the events of an old process, of a reload's replacement and of a retiring one are told apart. The unit
// decides when to spawn, promote or stop (the transition table's effects) and judges an exit; this part keeps
// which process those apply to. Apart from unit.ts so the unit stays the executor of the table.
import type { Readable } from 'node:stream';
import type { AppSpec } from '../config/spec.js';
import { type NotifyMessage, readNotify } from '../health/notify-lines.js';
import { maskedArgs } from '../protocol/secrets.js';
import type { EventBus } from './event-bus.js';
import { launchOf, needsIpc, notifyPipe } from './launch.js';
import type { ChildHandle, ChildHooks, Clock, OpenProbes, OutputSink, Spawner, StartCheck } from './ports.js';
import type { Replacement, Run } from './replacement.js';
import type { UnitEvent } from './transitions.js';
import { processHooks } from './unit-hooks.js';

/** What the current process needs of its unit. */
export interface ProcessHost {
  readonly id: number;
  readonly instance: number;
  readonly name: string;
  readonly spec: AppSpec;
  label(): string;
  dispatch(event: UnitEvent): void;
  /**
   * The current process has its pid: its readiness is watched from now on (unit-health.ts). Returns whether
   * its first ready waits for a signal. `ready`: a reload's replacement, ready already when promoted.
   */
  began(target: LaunchTarget, ready: boolean): boolean;
  /** A ready signal or notify line of the current process. */
  readySignal(source: 'ipc' | 'listening'): void;
  notify(message: NotifyMessage): void;
  /** The current process is gone (before its exit is judged). */
  ended(): void;
  /** An IPC message of the current process that is not a ready signal: true if it answered the daemon. */
  appMessage(message: unknown): boolean;
}

/** What a process was launched with: its environment, directory and output (probes and the ready line use them). */
export interface LaunchTarget {
  env: Readonly<Record<string, string>>;
  cwd: string;
  output: readonly (Readable | null)[];
}

/** The unit's ports (UnitDeps extends this): the current process uses every one of them. */
export interface ProcessDeps {
  clock: Clock;
  spawner: Spawner;
  bus: EventBus;
  sink: OutputSink;
  /** TEND_HOME told to the processes (launch.ts), or null. */
  home: string | null;
  /** The daemon's own log; one line per decision worth keeping. */
  log(line: string): void;
  /** Why the spec cannot start now (e.g. its script was deleted); checked before each spawn. */
  startCheck?: StartCheck | undefined;
  /** Runs the app's probes (absent: probes are not run). */
  openProbes?: OpenProbes | undefined;
}

/** The current process exited, `uptimeMs` after it started (`at`: when, by the clock). */
export type OnExit = (code: number | null, signal: string | null, at: number, uptimeMs: number) => void;

export class InstanceProcess {
  private handle: ChildHandle | null = null;
  private since: number | null = null;
  /** Spawns so far: each process's hooks carry its number, so events of an old process are told apart. */
  private spawns = 0;
  /** The number of the current process. */
  private generation = 0;
  /** What the current process runs, for the log. */
  private commandLine = '';
  /** What each live process was launched with, by generation (the current one and a reload's replacement). */
  private readonly launched = new Map<number, LaunchTarget>();

  constructor(
    private readonly host: ProcessHost,
    private readonly deps: ProcessDeps,
    private readonly replacement: Replacement,
    private readonly onExit: OnExit,
  ) {}

  /** The instance's process now, or null. */
  get child(): ChildHandle | null {
    return this.handle;
  }
  /** When the current process started (epoch ms), or null. */
  get startedAt(): number | null {
    return this.since;
  }

  /** Starts the instance's process; a start check that fails is a 'spawn-failed' event instead. */
  spawn(): void {
    // A log file that cannot be opened (missing directory, permissions) fails the start with the path in
    // last_error; the daemon and the other apps go on. Checked at every start: fix it, then restart.
    const problem = this.deps.sink.problem?.() ?? this.deps.startCheck?.(this.host.spec) ?? null;
    if (problem !== null) {
      this.handle = null;
      this.since = null;
      this.host.dispatch({ type: 'spawn-failed', reason: problem });
      return;
    }
    this.generation = ++this.spawns;
    const child = this.launch(this.generation);
    this.handle = child;
    this.since = child.startedAt ?? this.deps.clock.now();
    if (child.pid !== undefined) this.announce(child);
  }

  /** Spawns a process of this instance (the current one, or a reload's replacement) and captures its output. */
  launch(generation: number): ChildHandle {
    const { spec } = this.host;
    const { command, args, env, cluster } = launchOf(spec, {
      id: this.host.id,
      instance: this.host.instance,
      home: this.deps.home,
    });
    this.commandLine = `${cluster ? 'cluster worker: ' : ''}${command} ${maskedArgs(args).join(' ')}`;
    const notify = notifyPipe(spec);
    const child = this.deps.spawner.spawn(
      { command, args, cwd: spec.cwd, env, ipc: needsIpc(spec), notify, cluster },
      this.hooksFor(generation, command),
    );
    this.deps.sink.attach(child.stdout, child.stderr);
    // Keep the current process's and a pending replacement's; a dropped replacement's is let go here.
    for (const g of this.launched.keys())
      if (g !== this.generation && this.replacement.roleOf(g) !== 'successor') this.launched.delete(g);
    this.launched.set(generation, { env, cwd: spec.cwd, output: [child.stdout, child.stderr] });
    if (child.notify) {
      readNotify(child.notify, (message) => {
        const role = generation === this.generation ? 'current' : this.replacement.roleOf(generation);
        if (role === 'current') this.host.notify(message);
        else if (role === 'successor' && message.key === 'READY' && message.value === '1')
          this.replacement.readySignal('ready');
      });
    }
    return child;
  }

  /** A reload: the replacement of the current process starts beside it (none without a current process). */
  spawnSuccessor(): void {
    if (this.handle) this.replacement.start(++this.spawns, this.handle);
  }

  /** The replacement is ready: it becomes this instance's process (the old one is stopped gracefully). */
  promote(): { old: Run | null; next: Run } | null {
    const old = this.handle && {
      generation: this.generation,
      child: this.handle,
      startedAt: this.since ?? 0,
    };
    const next = this.replacement.promote(old);
    if (!next) return null;
    this.generation = next.generation;
    this.handle = next.child;
    this.since = next.startedAt;
    // The replacement was ready to be promoted: it is this instance's incarnation from now on.
    if (old) this.launched.delete(old.generation);
    this.host.began(this.targetOf(next.generation), true);
    return { old, next };
  }

  /** What a live process of the instance was launched with (its env, cwd and output). */
  targetOf(generation: number): LaunchTarget {
    return this.launched.get(generation) ?? { env: {}, cwd: this.host.spec.cwd, output: [] };
  }

  private announce(child: ChildHandle): void {
    this.deps.log(`${this.host.label()} started pid ${child.pid}: ${this.commandLine}`);
    const gated = this.host.began(this.targetOf(this.generation), false);
    this.host.dispatch({ type: 'spawned', gated });
  }

  private exited(code: number | null, signal: string | null): void {
    const now = this.deps.clock.now();
    const uptimeMs = this.since === null ? 0 : now - this.since;
    this.handle = null;
    this.since = null;
    this.launched.delete(this.generation);
    this.host.ended();
    this.onExit(code, signal, now, uptimeMs);
  }

  /** One set of hooks per process (unit-hooks.ts routes its events by the role it has when they arrive). */
  private hooksFor(generation: number, command: string): ChildHooks {
    const role = () => (generation === this.generation ? 'current' : this.replacement.roleOf(generation));
    return processHooks(
      generation,
      command,
      role,
      {
        spawnFailed: (reason) => {
          this.handle = null;
          this.since = null;
          this.host.dispatch({ type: 'spawn-failed', reason });
        },
        spawned: () => {
          if (this.handle) this.announce(this.handle);
        },
        exited: (code, signal) => this.exited(code, signal),
        ready: () => this.host.readySignal('ipc'),
        watchdog: () => this.host.notify({ key: 'WATCHDOG', value: '1' }),
        listening: (pid, address) => {
          this.deps.bus.publish('process.listening', {
            id: this.host.id,
            name: this.host.name,
            pid,
            ...address,
          });
          if (pid !== null && pid === this.handle?.pid) this.host.readySignal('listening');
        },
        pid: () => this.handle?.pid ?? null,
        message: (message) => this.host.appMessage(message),
      },
      this.replacement,
    );
  }
}
