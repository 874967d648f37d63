// The file sink with real files and in-memory streams standing in for a child's pipes.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { FileSink, type LogDrop, RECENT_STDERR_LINES } from '../../../src/logs/file-sink.js';
import { createFileSinks } from '../../../src/logs/log-service.js';

const tmp = mkdtempSync(join(tmpdir(), 'tend-file-sink-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const sinks = createFileSinks();
let nextId = 0;

function open(out_file: string, err_file: string) {
  return sinks.open({ id: nextId++, name: 'app', out_file, err_file });
}

/** A process run: two streams that the test writes to and then ends. */
function run(): { stdout: PassThrough; stderr: PassThrough; end(): void } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  return {
    stdout,
    stderr,
    end() {
      stdout.end();
      stderr.end();
    },
  };
}

describe('file sink', () => {
  it('appends stdout and stderr to their files, private (0600)', async () => {
    const dir = join(tmp, 'a', 'b');
    mkdirSync(dir, { recursive: true });
    const sink = open(join(dir, 'out.log'), join(dir, 'err.log'));
    assert.equal(sink.problem?.(), null);
    const p = run();
    sink.attach(p.stdout, p.stderr);
    p.stdout.write('hello\n');
    p.stderr.write('oops\n');
    p.end();
    await sink.close();
    assert.equal(readFileSync(join(dir, 'out.log'), 'utf8'), 'hello\n');
    assert.equal(readFileSync(join(dir, 'err.log'), 'utf8'), 'oops\n');
    assert.equal(statSync(join(dir, 'out.log')).mode & 0o777, 0o600);
  });

  it('counts the lines a file that could not be opened loses, and reports them (no root needed)', async () => {
    const reports: LogDrop[] = [];
    const service = createFileSinks({ dropped: (drop) => reports.push(drop) });
    const out = join(tmp, 'gone', 'out.log');
    const sink = service.open({ id: 77, name: 'lossy', out_file: out, err_file: '/dev/null' });
    const p = run();
    sink.attach(p.stdout, p.stderr);
    p.stdout.write('one\ntwo\nthree\n');
    p.stderr.write('to /dev/null: discarded by design, not counted\n');
    p.end();
    await sink.close();
    assert.equal(sink.droppedLines(), 3);
    // One report (at most one a second), sent at close at the latest, with the total.
    assert.deepEqual(reports, [{ id: 77, name: 'lossy', path: out, lines: 3, total: 3 }]);
  });

  it('does not create a missing directory: the problem names the path', async () => {
    const out = join(tmp, 'missing', 'out.log');
    const sink = open(out, join(tmp, 'fine-too-err.log'));
    assert.equal(sink.problem?.(), `cannot open log file ${out}: its directory does not exist (ENOENT)`);
    mkdirSync(join(tmp, 'missing'));
    assert.equal(sink.problem?.(), null, 'checked again at the next start');
    await sink.close();
  });

  it('appends to existing files and survives two attaches (one per restart)', async () => {
    const out = join(tmp, 'restart-out.log');
    const err = join(tmp, 'restart-err.log');
    writeFileSync(out, 'before\n');
    const sink = open(out, err);
    const first = run();
    sink.attach(first.stdout, first.stderr);
    first.stdout.write('run 1\n');
    first.stderr.write('partial line of run 1 without newline');
    first.end(); // must not end the files
    await once(first.stderr, 'end'); // a restart begins after the previous process is gone
    const second = run();
    sink.attach(second.stdout, second.stderr);
    second.stdout.write('run 2\n');
    second.stderr.write('run 2 error\n');
    second.end();
    await sink.close();
    assert.equal(readFileSync(out, 'utf8'), 'before\nrun 1\nrun 2\n');
    assert.deepEqual(sink.recentStderr(), ['partial line of run 1 without newline', 'run 2 error']);
  });

  it('keeps the last 20 stderr lines, whole, however the chunks were cut', async () => {
    const sink = open(join(tmp, 'ring-out.log'), join(tmp, 'ring-err.log'));
    const p = run();
    sink.attach(p.stdout, p.stderr);
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join('');
    for (let i = 0; i < text.length; i += 7) p.stderr.write(text.slice(i, i + 7));
    p.end();
    await sink.close();
    const expected = Array.from({ length: RECENT_STDERR_LINES }, (_, i) => `line ${30 + i}`);
    assert.deepEqual(sink.recentStderr(), expected);
    assert.equal(readFileSync(join(tmp, 'ring-err.log'), 'utf8'), text);
  });

  it('writes both streams to one file when given the same path', async () => {
    const file = join(tmp, 'combined.log');
    const sink = open(file, join(tmp, '.', 'combined.log'));
    const p = run();
    sink.attach(p.stdout, p.stderr);
    p.stdout.write('out 1\n');
    p.stderr.write('err 1\n');
    p.stdout.write('out 2\n');
    p.end();
    await sink.close();
    assert.deepEqual(readFileSync(file, 'utf8').split('\n').sort(), ['', 'err 1', 'out 1', 'out 2']);
  });

  it('works with /dev/null, for one stream or both', async () => {
    for (const [out, err] of [
      ['/dev/null', '/dev/null'],
      ['/dev/null', join(tmp, 'only-err.log')],
    ] as const) {
      const sink = open(out, err);
      const p = run();
      sink.attach(p.stdout, p.stderr);
      p.stdout.write('discarded\n');
      p.stderr.write('kept in memory\n');
      p.end();
      await sink.close();
      assert.deepEqual(sink.recentStderr(), ['kept in memory']);
    }
    assert.equal(readFileSync(join(tmp, 'only-err.log'), 'utf8'), 'kept in memory\n');
  });

  it('accepts null streams, and close() is idempotent', async () => {
    const sink = open(join(tmp, 'idle-out.log'), join(tmp, 'idle-err.log'));
    sink.attach(null, null);
    const closing = sink.close();
    assert.equal(sink.close(), closing);
    await closing;
    await sink.close();
  });

  it('keeps the service running when a log file cannot be opened', async () => {
    const blocker = join(tmp, 'not-a-dir');
    writeFileSync(blocker, '');
    const sink = open(join(blocker, 'out.log'), join(tmp, 'fine-err.log'));
    const p = run();
    sink.attach(p.stdout, p.stderr);
    p.stdout.write('lost\n');
    p.stderr.write('still recorded\n');
    p.end();
    await sink.close();
    assert.deepEqual(sink.recentStderr(), ['still recorded']);
    assert.ok(sink instanceof FileSink);
    assert.match(String(sink.errors()[0]), /EEXIST|ENOTDIR/);
  });

  it('still reads (and discards) streams attached after close', async () => {
    const sink = open(join(tmp, 'late-out.log'), join(tmp, 'late-err.log'));
    await sink.close();
    const p = run();
    sink.attach(p.stdout, p.stderr);
    p.stdout.write('x\n');
    p.end();
    // Flowing: the stream reaches 'end' instead of stalling with a full buffer.
    await new Promise((resolve) => p.stdout.once('end', resolve));
  });

  it('close() gives up on a pipe that never ends, after the grace period, and stops reading it', async () => {
    const out = join(tmp, 'held-out.log');
    const sink = createFileSinks({ closeGraceMs: 20 }).open({
      id: 99,
      name: 'held',
      out_file: out,
      err_file: out,
    });
    const p = run();
    sink.attach(p.stdout, p.stderr);
    p.stdout.write('before close\n');
    p.stderr.end();
    await sink.close(); // stdout is never ended: as if an unknown orphan held the pipe
    assert.equal(p.stdout.destroyed, true);
    assert.equal(readFileSync(out, 'utf8'), 'before close\n');
  });
});
