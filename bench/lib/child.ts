// Child processes, timed with process.hrtime.bigint() from just before spawn() to the 'exit' event, and
// tracked so that whatever the bench starts by hand is killed (by pid) when it ends, even on failure.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { isAlive, killPid } from './proc.js';

export interface TimedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in milliseconds. */
  ms: number;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs a command to completion and times it. Output is collected (a CLI writing to a pipe, as in a script). */
export function timedRun(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let exitedAt = 0n;
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      if (child.pid) killPid(child.pid);
      reject(new Error(`${cmd} ${args.join(' ')}: no exit within ${opts.timeoutMs ?? 60_000} ms`));
    }, opts.timeoutMs ?? 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', () => {
      exitedAt = process.hrtime.bigint();
    });
    // 'close' comes after 'exit' once the pipes are drained: the output is complete, the time is the exit's.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Number((exitedAt || process.hrtime.bigint()) - t0) / 1e6,
      });
    });
  });
}

/** Like timedRun, but a non-zero exit is an error that shows what the command said. */
export async function mustRun(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<TimedRun> {
  const r = await timedRun(cmd, args, opts);
  if (r.code !== 0) {
    const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n  ');
    throw new Error(`${[cmd, ...args].join(' ')} exited with ${r.code ?? r.signal}:\n  ${said}`);
  }
  return r;
}

/** Processes the bench started by hand (floors, plain clusters): all killed by pid at the end. */
const started = new Set<ChildProcess>();

export function spawnTracked(cmd: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
  const child = spawn(cmd, args, { stdio: 'ignore', ...opts });
  started.add(child);
  child.once('exit', () => started.delete(child));
  // A failed spawn is reported by whoever waits on the child; do not crash the bench here.
  child.on('error', () => {});
  return child;
}

/** Kills one tracked child and resolves when it has exited. */
export function stopTracked(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    killPid(child.pid);
  });
}

/** Resolves true once the child has exited, false if it has not within ms. */
export function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

export async function stopAllTracked(): Promise<void> {
  await Promise.all([...started].map((c) => stopTracked(c)));
}

/** Synchronous last resort (process 'exit' handler): SIGKILL whatever is still tracked. */
export function killAllTrackedSync(): void {
  for (const c of started) if (c.pid && isAlive(c.pid)) killPid(c.pid);
}
