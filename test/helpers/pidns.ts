// A command as PID 1 of a new PID namespace (`unshare --pid --fork --mount-proc`, root only), seen from the
// host: its output as lines, the host pid of its PID 1 (to signal it as a container runtime does), and the
// namespace's processes read from the host's /proc (their state: Z is a zombie nobody reaped).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Why these tests cannot run here (null: they can). */
export function pidNamespaceUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (unshare --pid)';
  const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { encoding: 'utf8' });
  if (r.error) return `unshare is missing (${r.error.message})`;
  if (r.status !== 0) return `unshare --pid --fork --mount-proc fails here: ${r.stderr.trim()}`;
  return null;
}

export interface NsProcess {
  pid: number;
  state: string;
  name: string;
}

export interface Namespaced {
  child: ChildProcess;
  out: string[];
  err: string[];
  /** Resolves with unshare's exit code: PID 1's own (128+N when a signal N ended it). */
  exit: Promise<number>;
  /** Waits for a stdout line matching `re` (lines already seen count). */
  line(re: RegExp, timeoutMs?: number): Promise<string>;
  /** The host pid of the namespace's PID 1. */
  init(): number;
  /** Every process of the namespace, read from the host's /proc. */
  processes(): NsProcess[];
  /** SIGKILL to PID 1 (the kernel then kills the whole namespace); waits for unshare to end. */
  kill(): Promise<void>;
}

const SIGNALS: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2 };

export function startInNamespace(
  argv: readonly string[],
  opts: { env?: NodeJS.ProcessEnv } = {},
): Namespaced {
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', ...argv], {
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = { out: [] as string[], err: [] as string[] };
  const waiters = new Set<{ re: RegExp; done: (l: string) => void }>();
  for (const stream of ['out', 'err'] as const) {
    let pending = '';
    (stream === 'out' ? child.stdout : child.stderr)?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const l of parts) {
        lines[stream].push(l);
        if (stream === 'out')
          for (const w of [...waiters])
            if (w.re.test(l)) {
              waiters.delete(w);
              w.done(l);
            }
      }
    });
  }
  let exited = false;
  const exit = new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      resolve(code ?? 128 + (SIGNALS[signal ?? ''] ?? 0));
    }),
  );
  let initPid = 0;
  const self: Namespaced = {
    child,
    out: lines.out,
    err: lines.err,
    exit,
    line(re, timeoutMs = 15_000) {
      const seen = lines.out.find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = {
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
              `no line ${re} within ${timeoutMs} ms; stdout:\n${lines.out.join('\n')}\nstderr:\n${lines.err.join('\n')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(w);
      });
    },
    init() {
      if (initPid === 0) {
        // unshare --fork has exactly one child: the namespace's PID 1.
        const u = child.pid as number;
        const kids = readFileSync(`/proc/${u}/task/${u}/children`, 'utf8').trim().split(/\s+/);
        if (kids.length !== 1 || kids[0] === '') throw new Error(`unshare ${u} has children [${kids}]`);
        initPid = Number(kids[0]);
      }
      return initPid;
    },
    processes() {
      const ns = readlinkSync(`/proc/${self.init()}/ns/pid`);
      const found: NsProcess[] = [];
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          if (readlinkSync(`/proc/${entry}/ns/pid`) !== ns) continue;
          const status = readFileSync(`/proc/${entry}/status`, 'utf8');
          found.push({
            pid: Number(entry),
            name: /^Name:\s*(.*)$/m.exec(status)?.[1] ?? '?',
            state: /^State:\s*(\S)/m.exec(status)?.[1] ?? '?',
          });
        } catch {
          // gone meanwhile
        }
      }
      return found;
    },
    async kill() {
      if (exited) return;
      try {
        process.kill(self.init(), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await exit;
    },
  };
  return self;
}

/**
 * Waits until `check()` returns true, reading it every 20 ms: a zombie's reaping has no event a process
 * outside the namespace could wait on, so this reads /proc; the deadline is the safety net and the error
 * says what was last seen.
 */
export async function until(check: () => boolean, what: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
