// The exec probe: a command run beside the instance (a list as is, a string by /bin/sh -c), success on exit
// code 0. It runs in its own process group and the whole group is SIGKILLed at the timeout, and again when
// the command exits (a `sleep 100 &` it left behind dies with the run). Keeps the exit code and the first
// 4 KiB of stdout and stderr, interleaved as they arrived. Waits for one of the global exec slots first.
import { type ChildProcess, spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { ProbeHandler } from '../config/spec.js';
import type { ExecSlots } from './exec-slots.js';
import { PROBE_OUTPUT_LIMIT, type ProbeResult, type ProbeTarget } from './probe-types.js';
import { messageOf, outcome } from './run-outcome.js';

type Exec = Extract<ProbeHandler, { exec: unknown }>['exec'];

/**
 * After the command exited, how long its pipes may stay open before we stop reading them. They close at once
 * unless a descendant that left the group (setsid) still holds them; its output is then not waited for.
 */
const PIPE_GRACE_MS = 200;

export function runExecProbe(
  exec: Exec,
  target: ProbeTarget,
  timeoutMs: number,
  slots: ExecSlots,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const ticket = slots.take();
  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  let grace: NodeJS.Timeout | undefined;
  let exited = false;
  let killedFor: string | null = null;
  const output = new Capture();
  const run = outcome(signal, () => {
    clearTimeout(timer);
    clearTimeout(grace);
    // An abort, or a spawn error: nothing of the run outlives it. After the exit the group was killed already,
    // and its id may be recycled: it is not signalled again.
    if (child !== undefined && !exited) killGroup(child);
    child?.stdout?.destroy();
    child?.stderr?.destroy();
    ticket.release();
  });
  if (signal?.aborted) return run.promise;

  // Counted from the ask, a wait for a slot included (exec-slots.ts says why).
  timer = setTimeout(() => {
    if (exited) return; // it exited in time; its pipes are being drained
    if (child === undefined) {
      const error = `timeout after ${timeoutMs} ms waiting for an exec probe slot (${slots.limit} in use)`;
      return run.finish({ ok: false, output: '', error });
    }
    killedFor = `timeout after ${timeoutMs} ms`;
    killGroup(child);
    // The verdict comes with the exit, so the output written before the kill is kept.
  }, timeoutMs);

  void ticket.granted.then(() => {
    if (run.done) return;
    const [command, args] =
      typeof exec.command === 'string'
        ? ['/bin/sh', ['-c', exec.command]]
        : [exec.command[0] ?? '', exec.command.slice(1)];
    const cwd = exec.working_dir ?? target.cwd;
    try {
      child = spawn(command, args, {
        cwd,
        env: { ...target.env, ...exec.env },
        // Own process group (pgid = pid): the timeout kills the command and everything it started.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        shell: false,
      });
    } catch (err) {
      // Invalid arguments (a NUL byte…) throw synchronously.
      return run.finish({ ok: false, output: '', error: messageOf(err) });
    }
    // Before 'spawn', 'error' is the OS refusing (ENOENT, EACCES, a missing cwd): no 'exit' follows.
    // Node names only the command (`spawn /bin/sh ENOENT`) when the working directory is what is missing.
    child.on('error', (err) => run.finish({ ok: false, output: '', error: `${messageOf(err)} (in ${cwd})` }));
    child.stdout?.on('data', (chunk: Buffer) => output.add(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.add(chunk));
    child.once('exit', (code, sig) => {
      // What the command left behind in its group dies with it (before the pid can be reused: it is only
      // reaped now, and a pid that still names a group is not handed out again).
      if (child !== undefined) killGroup(child);
      exited = true;
      const settle = (): void => {
        const error = killedFor ?? (sig !== null ? `killed by ${sig}` : null);
        run.finish({ ok: error === null && code === 0, exit_code: code, output: output.text(), error });
      };
      // 'close' follows once both pipes ended: the output is complete.
      child?.once('close', settle);
      grace = setTimeout(settle, PIPE_GRACE_MS);
    });
  });
  return run.promise;
}

/** SIGKILL to the process group the command leads; gone already is fine. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.pid <= 1) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** The first PROBE_OUTPUT_LIMIT bytes; what follows is read and dropped, so a chatty command never blocks. */
class Capture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  add(chunk: Buffer): void {
    if (this.size >= PROBE_OUTPUT_LIMIT) return;
    const part = chunk.subarray(0, PROBE_OUTPUT_LIMIT - this.size);
    this.chunks.push(part);
    this.size += part.length;
  }
  /** As UTF-8; a character cut at the limit is left out rather than replaced (the text stays ≤ the limit). */
  text(): string {
    return new StringDecoder('utf8').write(Buffer.concat(this.chunks));
  }
}
