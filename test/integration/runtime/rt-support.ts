// Shared by the runtime integration tests: fixture paths, hooks that record calls and let a test await
// them, reading a child's first output line, and cleanup that kills only what a test started.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ChildHooks } from '../../../src/supervisor/ports.js';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures');
export const fixture = (name: string): string => join(fixturesDir, name);

/** Safety net only: every wait below resolves on an event long before this. */
export const SAFETY_TIMEOUT_MS = 10_000;

export type HookCall =
  | { hook: 'spawnError'; err: NodeJS.ErrnoException }
  | { hook: 'exit'; code: number | null; signal: string | null }
  | { hook: 'message'; message: unknown };

/** ChildHooks that record every call; until() resolves on the first call list that satisfies pick. */
export class HookRecorder implements ChildHooks {
  readonly calls: HookCall[] = [];
  private readonly listeners = new Set<() => void>();

  onSpawnError(err: NodeJS.ErrnoException): void {
    this.record({ hook: 'spawnError', err });
  }
  onExit(code: number | null, signal: string | null): void {
    this.record({ hook: 'exit', code, signal });
  }
  onMessage(message: unknown): void {
    this.record({ hook: 'message', message });
  }

  count(hook: HookCall['hook']): number {
    return this.calls.filter((call) => call.hook === hook).length;
  }

  async exited(): Promise<{ code: number | null; signal: string | null }> {
    const call = await this.until((calls) => calls.find((c) => c.hook === 'exit'), 'onExit');
    if (call.hook !== 'exit') throw new Error('unreachable');
    return { code: call.code, signal: call.signal };
  }

  until<T>(pick: (calls: readonly HookCall[]) => T | undefined, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const found = pick(this.calls);
        if (found === undefined) return false;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(found);
        return true;
      };
      const listener = (): void => {
        check();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`timed out waiting for ${what}; calls: ${JSON.stringify(this.calls)}`));
      }, SAFETY_TIMEOUT_MS);
      this.listeners.add(listener);
      check();
    });
  }

  private record(call: HookCall): void {
    this.calls.push(call);
    for (const listener of [...this.listeners]) listener();
  }
}

/** Resolves with the first complete line the stream prints. */
export function firstLine(stream: Readable | null, what = 'first output line'): Promise<string> {
  if (stream === null) return Promise.reject(new Error(`no stream for ${what}`));
  return new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: stream });
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), SAFETY_TIMEOUT_MS);
    const ended = (): void => reject(new Error(`stream ended before ${what}`));
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.off('close', ended);
      resolve(line);
      lines.close(); // stops listening; resume() keeps the stream flowing so the child never blocks
      stream.resume();
    });
    lines.once('close', ended);
  });
}

/**
 * Kills, in after(), what a test started: process groups and single pids, each identified with its
 * starttime so that a pid recycled meanwhile by an unrelated process is left alone.
 */
export class Cleanup {
  private readonly targets: { pid: number; group: boolean; starttime: string | undefined }[] = [];

  group(pid: number | undefined): void {
    if (pid !== undefined) this.targets.push({ pid, group: true, starttime: starttimeOf(pid) });
  }

  pid(pid: number | undefined): void {
    if (pid !== undefined) this.targets.push({ pid, group: false, starttime: starttimeOf(pid) });
  }

  run(): void {
    for (const { pid, group, starttime } of this.targets) {
      try {
        if (group) process.kill(-pid, 'SIGKILL');
        else if (starttime !== undefined && starttimeOf(pid) === starttime) process.kill(pid, 'SIGKILL');
      } catch {
        // ESRCH: already gone, which is the normal case
      }
    }
    this.targets.length = 0;
  }
}

function starttimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
