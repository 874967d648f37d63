// tend-runtime as a child of the test: the built bin/tend-runtime.js (npm run build first), its own temporary
// TEND_HOME, stdout and stderr kept as lines, and waits on those lines (never on the clock: the timeout is
// a safety net whose error shows what was seen). `kill()` ends the runtime and its process group.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { ROOT } from './daemon.js';
import { makeTmpHome } from './tmp-home.js';

export const RUNTIME = join(ROOT, 'bin', 'tend-runtime.js');

export interface RuntimeChild {
  child: ChildProcess;
  home: string;
  out: string[];
  err: string[];
  /** Resolves with the exit code (128+N when the runtime itself died of signal N). */
  exit: Promise<number>;
  /** Waits for a line of stdout (or stderr) matching `re`; returns it. Lines already seen count. */
  line(stream: 'out' | 'err', re: RegExp, timeoutMs?: number): Promise<string>;
  signal(sig: NodeJS.Signals): void;
  /** SIGKILL to the runtime and its group, if still running; removes the home. */
  kill(): Promise<void>;
}

const SIGNALS: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2 };

export function startRuntime(
  args: readonly string[],
  /** asCommand: the bin run as a user runs it (its sh line first), not `node bin/tend-runtime.js`. */
  opts: { env?: Record<string, string>; cwd?: string; home?: string; asCommand?: boolean } = {},
): RuntimeChild {
  const tmp = opts.home ? null : makeTmpHome();
  const home = opts.home ?? (tmp as { home: string }).home;
  const [cmd, argv] = opts.asCommand ? [RUNTIME, [...args]] : [process.execPath, [RUNTIME, ...args]];
  const child = spawn(cmd, argv, {
    cwd: opts.cwd ?? ROOT,
    // Every repeat of a stop signal is a second signal here (the runtime's default takes one within 200 ms
    // for the same: a test that sends a second one after a line would race that window); the window's own
    // tests set it.
    env: { ...process.env, TEND_HOME: home, TEND_RUNTIME_SIGNAL_REPEAT_MS: '0', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own group: kill() reaches every process it started even if it dies first.
    detached: true,
  });
  const lines = { out: [] as string[], err: [] as string[] };
  const waiters = new Set<{ stream: 'out' | 'err'; re: RegExp; done: (l: string) => void }>();
  for (const stream of ['out', 'err'] as const) {
    let pending = '';
    (stream === 'out' ? child.stdout : child.stderr)?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const l of parts) {
        lines[stream].push(l);
        for (const w of [...waiters])
          if (w.stream === stream && w.re.test(l)) {
            waiters.delete(w);
            w.done(l);
          }
      }
    });
  }
  // 'close', not 'exit': once the runtime's stdout and stderr are read to their end. On a loaded machine
  // 'exit' came before the last lines were read, and a test saw none of the apps' output.
  const exit = new Promise<number>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? 128 + (SIGNALS[signal ?? ''] ?? 0))),
  );
  let exited = false;
  void exit.then(() => {
    exited = true;
  });
  return {
    child,
    home,
    out: lines.out,
    err: lines.err,
    exit,
    line(stream, re, timeoutMs = 15_000) {
      const seen = lines[stream].find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = {
          stream,
          re,
          done: (l: string) => {
            clearTimeout(timer);
            resolve(l);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(
            new Error(
              `no ${stream} line matching ${re} within ${timeoutMs} ms; stdout:\n  ${lines.out.join('\n  ')}\nstderr:\n  ${lines.err.join('\n  ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(w);
        void exit.then(() =>
          setImmediate(() => {
            if (!waiters.has(w)) return;
            waiters.delete(w);
            clearTimeout(timer);
            reject(
              new Error(
                `the runtime exited without a ${stream} line matching ${re}; stdout:\n  ${lines.out.join('\n  ')}\nstderr:\n  ${lines.err.join('\n  ')}`,
              ),
            );
          }),
        );
      });
    },
    signal(sig) {
      if (!exited && child.pid) process.kill(child.pid, sig);
    },
    async kill() {
      if (!exited && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
        await exit;
      }
      // The apps run in process groups of their own (as under the daemon): a runtime SIGKILLed above could not
      // stop them. Their pids are in its `started pid N` lines; end those groups too.
      for (const line of lines.err) {
        const pid = Number(/ started pid (\d+)/.exec(line)?.[1]);
        // Only a process of this runtime (its environment names this home): never a pid reused since.
        if (!pid || !ownProcess(pid, home)) continue;
        for (const target of [-pid, pid])
          try {
            process.kill(target, 'SIGKILL');
          } catch {
            // gone already
          }
      }
      tmp?.remove();
    },
  };
}

/** Runs the runtime to its end (for cases that end on their own); returns code and lines. */
export async function runRuntimeToEnd(
  args: readonly string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number; out: string[]; err: string[] }> {
  const r = startRuntime(args, opts);
  const timer = setTimeout(() => void r.kill(), 30_000);
  try {
    const code = await r.exit;
    return { code, out: r.out, err: r.err };
  } finally {
    clearTimeout(timer);
    await r.kill();
  }
}

/** True when `pid` runs with this TEND_HOME in its environment (an app this runtime started). */
function ownProcess(pid: number, home: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`TEND_HOME=${home}`);
  } catch {
    return false;
  }
}

/**
 * The runtimes of one test file: `start` runs one (startRuntime: its own home), `track` adopts one started
 * otherwise; every one is SIGKILLed with its group once the file's tests are done.
 */
export function fileRuntimes(): {
  start(args: readonly string[], env?: Record<string, string>): RuntimeChild;
  track(r: RuntimeChild): RuntimeChild;
} {
  const running: RuntimeChild[] = [];
  after(async () => {
    for (const r of running) await r.kill();
  });
  const track = (r: RuntimeChild) => {
    running.push(r);
    return r;
  };
  return { start: (args, env) => track(startRuntime(args, { env })), track };
}
