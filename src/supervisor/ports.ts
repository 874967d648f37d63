// The supervisor reaches the OS only through these ports. runtime/ provides the real adapters; unit tests
// provide fakes (a fake clock, a spawner that returns scripted children).
import type { Readable } from 'node:stream';

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
}

export interface ChildHooks {
  /** The OS could not start the process (ENOENT, EACCES…). Called at most once, instead of onExit. */
  onSpawnError(err: NodeJS.ErrnoException): void;
  onExit(code: number | null, signal: string | null): void;
  onMessage(message: unknown): void;
}

export interface ChildHandle {
  /** Undefined when the spawn failed synchronously-asynchronously (onSpawnError follows). */
  readonly pid: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Signal the whole tree: the process group and any descendant that left it. */
  signalTree(signal: NodeJS.Signals): void;
  /** Send an IPC message if a channel is open; false otherwise. */
  send(message: unknown): boolean;
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
  close(): Promise<void>;
}

export interface OutputSinks {
  open(target: { id: number; name: string; out_file: string; err_file: string }): OutputSink;
}
