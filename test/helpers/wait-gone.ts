// waitGone: THE ONE POLLING HELPER of the test suite, by necessity. Linux notifies a parent when its child
// exits, but nothing tells us that an unrelated process (an orphaned grandchild, re-parented to init) has
// exited, short of a pidfd, which Node does not expose. So this helper looks at /proc/<pid>/stat every few
// milliseconds until the process is gone, with a bounded deadline. Use it only for processes the test has
// no other event for; for a direct child, wait for its exit event instead.
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

const POLL_MS = 10;

/** Gone means: no /proc entry, or a zombie (exited; in a container, PID 1 may never reap orphans). */
export function isProcessGone(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

export async function waitGone(pid: number, { timeoutMs = 5000, what = `pid ${pid}` } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isProcessGone(pid)) {
    if (Date.now() > deadline) throw new Error(`${what} still alive after ${timeoutMs} ms`);
    await delay(POLL_MS);
  }
}
