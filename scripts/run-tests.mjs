// Runs every test file under test/ (or the files and folders given) with Node's test runner, two files at
// a time (TEND_TEST_CONCURRENCY), each in its own `node --test` process with a hard time limit, so one hung
// file is reported by name and killed instead of holding the whole run (and CI's 90 minutes) forever.
//
// Each file's output is printed in one piece when the file ends (files never interleave), then a summary:
// the totals over all files, the files that failed or timed out, and the slowest files (the suite's budget
// is ~6 minutes on 2 cores). A process a test left behind that still holds the file's output pipe is
// named too: the file's result does not wait for it. A file that exits 0 having reported fewer tests than it
// defines fails too (missingTests), and every failed file's own failure messages are printed again at the end.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const FILE_LIMIT_MS = Number(process.env.TEND_TEST_FILE_TIMEOUT_MS) || 600_000;
/** Node's own per-test limit: a test stuck on a promise fails with its name instead of hanging its file. */
const TEST_LIMIT_MS = Number(process.env.TEND_TEST_TIMEOUT_MS) || 300_000;
const CONCURRENCY = Number(process.env.TEND_TEST_CONCURRENCY) || 2;

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['test'];
const files = roots
  .flatMap((root) =>
    statSync(root).isFile()
      ? [root]
      : readdirSync(root, { recursive: true }).map((f) => join(root, String(f))),
  )
  .filter((f) => f.endsWith('.test.ts'))
  .sort();

// --test-force-exit (Node ≥ 20.14): a file whose tests are done exits even if a handle is still open.
const [major, minor] = process.versions.node.split('.').map(Number);
const forceExit = major > 20 || (major === 20 && minor >= 14) ? ['--test-force-exit'] : [];
// Test isolation "none" (Node ≥ 23.6 `--test-isolation`; 22.8 to 23.5 `--experimental-test-isolation`, which
// Node 22 still calls it: 22.23 refuses the short name): the file's tests run in this child, not in one more
// process per file. This script isolates files already; and with that second process, Node 24's runner could
// force-exit once the tests it knew of were done, before the file had reported the rest (a CI run counted 18
// of a file's 32 tests, exit 0).
const isolation =
  major > 23 || (major === 23 && minor >= 6)
    ? ['--test-isolation=none']
    : (major === 22 && minor >= 8) || major === 23
      ? ['--experimental-test-isolation=none']
      : [];

const totals = { tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 };
const failed = [];
/** Each failed file's own account of its failures, printed again at the very end: CI shows the last lines. */
const details = [];
const durations = [];
const started = Date.now();

function count(output) {
  for (const key of Object.keys(totals)) {
    const m = new RegExp(`^ℹ ${key} (\\d+)$`, 'm').exec(output);
    if (m) totals[key] += Number(m[1]);
  }
}

/** The spec reporter's "failing tests" section (the assertion messages), bounded; else the output's tail. */
function failureDetails(file, output) {
  const at = output.lastIndexOf('✖ failing tests:');
  const part = at >= 0 ? output.slice(at) : output.split('\n').slice(-40).join('\n');
  const lines = part.split('\n').slice(0, 80);
  return `── ${file}\n${lines.join('\n')}`;
}

/**
 * A file that exits 0 having reported fewer tests than it plainly defines: each `test(` or `it(` at the start
 * of a line is at least one test (a loop may make more; a skipped one is still reported; a skipped suite is
 * the exception, below). Node 24's runner once
 * ended a file after 18 of its 32 tests with exit 0: counted, that is a failure, never a silent pass.
 */
function missingTests(file, output) {
  const m = /^ℹ tests (\d+)$/m.exec(output);
  if (!m) return 'exit 0 without a test summary';
  // A skipped describe prints its reason on a "﹣" line but reports none of its tests (nor counts itself as
  // skipped): more "﹣" lines than skipped tests means a whole suite was skipped, and the count cannot be held
  // against the file.
  const skippedLines = (output.match(/^\s*﹣ /gm) ?? []).length;
  if (skippedLines > Number(/^ℹ skipped (\d+)$/m.exec(output)?.[1] ?? 0)) return null;
  const defined = (readFileSync(file, 'utf8').match(/^\s*(?:test|it)(?:\.skip|\.todo)?\(/gm) ?? []).length;
  const reported = Number(m[1]);
  return reported < defined ? `reported ${reported} tests of the ${defined} or more it defines` : null;
}

function runFile(file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-reporter=spec',
        `--test-timeout=${TEST_LIMIT_MS}`,
        ...forceExit,
        ...isolation,
        file,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const chunks = [];
    const closed = (stream) => new Promise((r) => stream.once('close', r));
    const pipesClosed = Promise.all([closed(child.stdout), closed(child.stderr)]);
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, FILE_LIMIT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // The output pipe closes when the last process holding it is gone; a process the file left running
      // may hold it: give it 2 s, then stop reading and name the file.
      let done = false;
      const finish = (held) => {
        if (done) return;
        done = true;
        child.stdout.destroy();
        child.stderr.destroy();
        let output = Buffer.concat(chunks).toString();
        const seconds = ((Date.now() - t0) / 1000).toFixed(1);
        if (timedOut)
          output += `\n✖ ${file}: killed after ${FILE_LIMIT_MS / 1000} s (TEND_TEST_FILE_TIMEOUT_MS)\n`;
        if (held) output += `\n⚠ ${file}: a process it started still holds its output after it exited\n`;
        process.stdout.write(`\n▷ ${file} (${seconds} s)\n${output}`);
        count(output);
        durations.push([Number(seconds), file]);
        const short = timedOut || code !== 0 ? null : missingTests(file, output);
        if (timedOut || code !== 0 || short) {
          failed.push(`${file}: ${timedOut ? 'timed out' : (short ?? `exit ${code ?? signal}`)}`);
          details.push(failureDetails(file, output));
        }
        resolve();
      };
      const drain = setTimeout(() => finish(true), 2000);
      pipesClosed.then(() => {
        clearTimeout(drain);
        finish(false);
      });
    });
  });
}

const queue = [...files];
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    while (queue.length > 0) await runFile(queue.shift());
  }),
);

const slowest = durations
  .sort((a, b) => b[0] - a[0])
  .slice(0, 8)
  .map(([s, f]) => `  ${s.toFixed(1).padStart(6)} s  ${f}`);
process.stdout.write(
  `\n══ ${files.length} files in ${((Date.now() - started) / 1000).toFixed(0)} s: ` +
    `${totals.tests} tests, ${totals.pass} pass, ${totals.fail} fail, ${totals.skipped} skipped, ` +
    `${totals.todo} todo, ${totals.cancelled} cancelled\nslowest files:\n${slowest.join('\n')}\n`,
);
if (failed.length > 0)
  process.stdout.write(
    `failed files:\n${failed.map((f) => `  ${f}`).join('\n')}\n\nwhat they said:\n${details.join('\n')}\n`,
  );
process.exit(failed.length > 0 ? 1 : 0);
