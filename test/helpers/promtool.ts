// `promtool check metrics` (Debian's prometheus package; .ci/run installs the binary): every exposition the
// tests produce must pass it (exit 0). Found on PATH or at $TEND_PROMTOOL; when absent, the tests that need
// it skip and say why.
import { spawn, spawnSync } from 'node:child_process';

/** The first of `candidates` (unset ones skipped) that runs `args` with exit 0; the OpenMetrics parser's too. */
export function firstWorking(
  candidates: readonly (string | undefined)[],
  args: readonly string[],
): string | null {
  for (const c of candidates) {
    if (c && spawnSync(c, args, { stdio: 'ignore' }).status === 0) return c;
  }
  return null;
}

export const PROMTOOL = firstWorking([process.env.TEND_PROMTOOL, 'promtool'], ['--version']);

/** The `skip` option of a test that needs promtool: false when it is there, else the reason. */
export const NEEDS_PROMTOOL: false | string =
  PROMTOOL === null
    ? 'promtool not found (install Debian package prometheus, or set TEND_PROMTOOL): exposition lint skipped'
    : false;

/** Runs `promtool check metrics` on `text`: its exit code and what it printed. */
export function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  if (PROMTOOL === null) throw new Error('promtool is not available');
  return checkThrough(PROMTOOL, ['check', 'metrics'], text);
}

/** Runs a checker with `text` on its stdin: its exit code and everything it printed (the OpenMetrics one too). */
export function checkThrough(
  command: string,
  args: readonly string[],
  text: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}
