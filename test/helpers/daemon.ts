// A real daemon in a temporary TEND_HOME, driven through the real client. `stop()` kills the daemon and
// every child it started (by PID and process group only) and removes the home.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { connect, type TendClient } from '../../src/client/client.js';
import { makeTmpHome } from './tmp-home.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const CLI = join(ROOT, 'bin', 'tend.js');

export interface TestDaemon {
  home: string;
  client: TendClient;
  daemonPid: number;
  /** A new client connection (for a second concurrent call or a subscription). */
  connect(): Promise<TendClient>;
  stop(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** How long stop() waits for the daemon to end after daemon.kill (it takes milliseconds when healthy). */
const STOP_LIMIT_MS = 30_000;

/** `prepare` runs on the fresh home before the daemon starts (a settings file, say). */
export async function startTestDaemon(opts: { prepare?: (home: string) => void } = {}): Promise<TestDaemon> {
  const tmp = makeTmpHome();
  opts.prepare?.(tmp.home);
  const client = await connect({ home: tmp.home });
  const { pid: daemonPid } = await client.daemon();
  return {
    home: tmp.home,
    client,
    daemonPid,
    connect: () => connect({ home: tmp.home, spawn: false }),
    async stop() {
      let pids: number[] = [];
      let wedged = false;
      try {
        const { processes } = await client.call('process.list');
        pids = processes.map((p) => p.pid).filter((p): p is number => p !== null);
        const closed = client.closed;
        await client.call('daemon.kill');
        // The daemon writes its last state.json after replying and closes connections last. Bounded: a
        // daemon that never ends is a failure of the test that stops it, not a hung suite.
        let timer: NodeJS.Timeout | undefined;
        wedged = await Promise.race([
          closed.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), STOP_LIMIT_MS);
          }),
        ]);
        clearTimeout(timer);
      } catch {
        // The daemon may be dead already (a test killed it): clean up by pid below.
      }
      await client.close().catch(() => {});
      for (const pid of pids) killGroup(pid);
      if (alive(daemonPid)) killGroup(daemonPid);
      tmp.remove();
      if (wedged)
        throw new Error(
          `the daemon (pid ${daemonPid}) did not end within ${STOP_LIMIT_MS} ms of daemon.kill`,
        );
    },
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would. */
export function runCli(
  args: string[],
  opts: { home: string; cwd?: string; env?: Record<string, string> },
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: opts.cwd ?? ROOT,
        env: { ...process.env, TEND_HOME: opts.home, NO_COLOR: '1', ...opts.env },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
