// The supervisor and the policies beside it (src/triggers) reach the OS only through these ports. runtime/
// provides the real adapters; unit tests provide fakes (a fake clock, a spawner that returns scripted children).
import type { Readable } from 'node:stream';
import type { AppSpec } from '../config/spec.js';
import type { LogCounts } from './app-tally.js';

export interface Timer {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Calls fn once after ms; cancel() before that prevents it. */
  setTimer(ms: number, fn: () => void): Timer;
}

export interface SpawnRequest {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  /** Open an IPC channel (Node children: process.send('ready'), 'shutdown' messages). */
  ipc: boolean;
  /** Pass the notify pipe as fd 3 (sd_notify lines: READY=1, WATCHDOG=1, STATUS=…). */
  notify?: boolean;
  /** Cluster mode: run as a worker of the app's cluster primary instead of as a process of its own. */
  cluster?: ClusterLaunch;
}

/** What a cluster primary needs to fork workers of one app (cluster/ keeps one primary per app). */
export interface ClusterLaunch {
  app: string;
  /** The app's Node binary: it runs the primary, and so the workers. */
  interpreter: string;
  /** The workers' Node options (node_args / interpreter_args, e.g. --import tsx). */
  execArgv: readonly string[];
  script: string;
  args: readonly string[];
}

/** Where a cluster worker listens (Node's cluster 'listening' event). */
export interface ListenAddress {
  address: string | null;
  port: number | null;
}

export interface ChildHooks {
  /** The OS could not start the process (ENOENT, EACCES…). Called at most once, instead of onExit. */
  onSpawnError(err: NodeJS.ErrnoException): void;
  onExit(code: number | null, signal: string | null): void;
  onMessage(message: unknown): void;
  /**
   * The process exists and has its pid. Only for handles whose pid is not known when spawn() returns (cluster
   * workers are forked by their primary, asynchronously); a plain child has its pid at once.
   */
  onSpawned?(): void;
  /** Cluster workers: the worker listens on a server (it gets connections from now on). */
  onListening?(address: ListenAddress): void;
}

export interface ChildHandle {
  /** Undefined when the spawn failed synchronously-asynchronously (onSpawnError follows). */
  readonly pid: number | undefined;
  /**
   * When the process began (ms since the epoch), for one that began before spawn() was asked (a launch plan's,
   * which tend-runtime adopts: src/container/adopted.ts); absent: it begins now.
   */
  readonly startedAt?: number;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** The notify pipe's reading end (fd 3 in the child), when asked for. */
  readonly notify?: Readable | null;
  /** Signal the whole tree: the process group and any descendant that left it. */
  signalTree(signal: NodeJS.Signals): void;
  /** Send an IPC message if a channel is open; false otherwise. */
  send(message: unknown): boolean;
  /**
   * Cluster workers only: stop routing new connections to the worker and close its servers; `then` runs once
   * the worker has stopped serving (its in-flight requests are done) or has exited. A graceful stop calls this
   * before the stop signal, so requests in flight finish even in an app that does not handle the signal.
   */
  disconnect?(then: () => void): void;
}

export interface Spawner {
  spawn(req: SpawnRequest, hooks: ChildHooks): ChildHandle;
}

export interface Usage {
  /** CPU percent since the previous sample of this pid (or since the process started). */
  cpu: number;
  /** Resident set size in bytes. */
  memory: number;
}

export interface Inspector {
  /** Samples the given pids; unknown or dead pids are absent from the result. */
  sample(pids: readonly number[]): Map<number, Usage>;
}

/** Where one instance's output goes. The real one writes files (logs/); tests may capture in memory. */
export interface OutputSink {
  attach(stdout: Readable | null, stderr: Readable | null): void;
  /** The last lines the process wrote to stderr, newest last. */
  recentStderr(): string[];
  /** Lines that never reached a log file (a full disk), for the snapshot's log_dropped. */
  droppedLines?(): number;
  /** Why the process must not start (a log file that cannot be opened), checked before each spawn. */
  problem?(): string | null;
  close(): Promise<void>;
}

export interface OutputTarget {
  id: number;
  name: string;
  out_file: string;
  err_file: string;
  /** Both streams, in addition to their own files (`log_file`). */
  log_file?: string | null;
  /** The app's spec: log format and rotation settings. */
  spec?: AppSpec;
  /** The app's output counters (metrics, issue 14), bumped as lines are read. */
  counts?: LogCounts;
}

export interface OutputSinks {
  open(target: OutputTarget): OutputSink;
}

/** Why a spec cannot start now (its script or cwd was deleted, say), checked before each spawn; null if it can. */
export type StartCheck = (spec: AppSpec) => string | null;

/** RSS in bytes of the tree rooted at each pid (absent: the process is gone); the memory limit reads it. */
export interface TreeMemory {
  sample(pids: readonly number[]): Map<number, number>;
}

/** The part of a chokidar FSWatcher tend uses (triggers/watch.ts). */
export interface FsWatcher {
  on(event: 'all', fn: (event: string, file: string) => void): unknown;
  on(event: 'ready', fn: () => void): unknown;
  on(event: 'error', fn: (err: unknown) => void): unknown;
  close(): Promise<void>;
}

/**
 * Opens a file watcher (chokidar, loaded on first use; a fake in tests). Synchronous, so the caller attaches
 * its listeners in the same turn: chokidar may emit 'ready' on process.nextTick, before an await resumes.
 */
export type OpenWatcher = (paths: readonly string[], options: Record<string, unknown>) => FsWatcher;

/** What the probes of one incarnation tell the instance (health/probes.ts implements the Kubernetes rules). */
export interface ProbeEvents {
  /** The startup probe passed (at once when there is none): the readiness and liveness probes begin. */
  startupPassed(): void;
  /** The startup probe reached its failure threshold: a failed start. */
  startupFailed(reason: string): void;
  /** The readiness probe's verdict changed. */
  readiness(ready: boolean, reason: string | null): void;
  /** The liveness probe reached its failure threshold: the instance is restarted gracefully. */
  livenessFailed(reason: string): void;
  /** `health` changed (called before the event that caused it). */
  healthChanged?(health: 'unknown' | 'healthy' | 'unhealthy'): void;
  /** A probe run finished (counted for the metrics, issue 14). */
  ran?(kind: 'startup' | 'readiness' | 'liveness', ok: boolean): void;
}

/** The last probe run, as `describe` shows it. */
export interface LastProbe {
  kind: 'startup' | 'readiness' | 'liveness';
  ok: boolean;
  at: number;
  duration_ms: number;
  exit_code: number | null;
  output: string;
  error: string | null;
}

/** The probes of one incarnation of one instance. */
export interface ProbeSet {
  start(): void;
  stop(): void;
  readonly health: 'unknown' | 'healthy' | 'unhealthy';
  readonly lastProbe: LastProbe | null;
}

/** Opens the probes of an incarnation (health/ in the daemon; a fake in tests). */
export type OpenProbes = (
  probes: {
    startup: AppSpec['startup_probe'];
    readiness: AppSpec['readiness_probe'];
    liveness: AppSpec['liveness_probe'];
  },
  target: { instance: number; env: Readonly<Record<string, string>>; cwd: string },
  events: ProbeEvents,
) => ProbeSet;
