// Capture with a real daemon and real apps: timestamps, JSON lines, file paths (-o/-e, log_file,
// /dev/null), merged instances, line framing, bad output, and log files that cannot be opened.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CUT_MARK, MAX_LINE_BYTES } from '../../../src/logs/line-framer.js';
import { homePaths } from '../../../src/protocol/home.js';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { runToEnd } from '../../helpers/logs.js';
import { reached, watch } from '../../helpers/until.js';

let d: TestDaemon;
let logs: string;
before(async () => {
  d = await startTestDaemon();
  logs = homePaths(d.home).logDir;
});
after(() => d.stop());

const writes = (name: string, scenario: string, more: Record<string, unknown> = {}) => ({
  name,
  script: join(FIXTURES, 'log-writes.cjs'),
  args: [scenario],
  ...more,
});
const read = (file: string) => readFileSync(join(logs, file), 'utf8');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}: /;

describe('format', () => {
  test('time: every line of stdout and stderr starts with an ISO-8601 timestamp (ms, offset)', async () => {
    await runToEnd(d, [writes('stamped', 'json', { time: true })]);
    const out = read('stamped-out.log').split('\n').slice(0, -1);
    const err = read('stamped-error.log').split('\n').slice(0, -1);
    assert.equal(out.length, 2);
    assert.equal(err.length, 2);
    for (const line of [...out, ...err]) assert.match(line, ISO);
    assert.match(out[1]!, /: plain text$/);
  });

  test('log_date_format (moment tokens) applies to both streams and turns timestamps on', async () => {
    await runToEnd(d, [writes('formatted', 'json', { log_date_format: 'YYYY/MM/DD HH:mm [h]' })]);
    for (const file of ['formatted-out.log', 'formatted-error.log']) {
      for (const line of read(file).split('\n').slice(0, -1)) {
        assert.match(line, /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} h: /, file);
      }
    }
  });

  test("log_type 'json': one object per line, the app's JSON embedded as an object", async () => {
    await runToEnd(d, [writes('jsonl', 'json', { log_type: 'json' })]);
    const out = read('jsonl-out.log')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const err = read('jsonl-error.log')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(out[0]), ['timestamp', 'app', 'id', 'stream', 'message']);
    assert.match(out[0].timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    assert.equal(out[0].app, 'jsonl');
    assert.equal(out[0].stream, 'out');
    assert.deepEqual(out[0].message, { level: 'info', msg: 'hello', n: 1 });
    assert.equal(out[1].message, 'plain text');
    assert.equal(err[0].stream, 'err');
    assert.deepEqual(err[0].message, ['an', 'array']);
    assert.equal(err[1].message, '{"broken": json');
  });
});

describe('files', () => {
  test('-o/-e paths, and /dev/null to discard one stream', async () => {
    const dir = join(d.home, 'custom');
    mkdirSync(dir);
    await runToEnd(d, [
      writes('paths', 'json', { out_file: join(dir, 'o.log'), error_file: join(dir, 'e.log') }),
      writes('discard', 'json', { out_file: '/dev/null', error_file: join(dir, 'only-err.log') }),
    ]);
    assert.match(readFileSync(join(dir, 'o.log'), 'utf8'), /plain text/);
    assert.match(readFileSync(join(dir, 'e.log'), 'utf8'), /broken/);
    assert.doesNotMatch(readFileSync(join(dir, 'only-err.log'), 'utf8'), /plain text/);
    assert.equal(existsSync(join(logs, 'discard-out.log')), false);
  });

  test('log_file: both streams in one more file; `log: true` is $TEND_HOME/logs/<name>.log', async () => {
    await runToEnd(d, [
      writes('both', 'json', { log: true }),
      writes('both2', 'json', {
        log_file: join(d.home, 'all.log'),
        out_file: '/dev/null',
        error_file: '/dev/null',
      }),
    ]);
    for (const text of [read('both.log'), readFileSync(join(d.home, 'all.log'), 'utf8')]) {
      assert.match(text, /plain text/);
      assert.match(text, /broken/);
      assert.equal(text.split('\n').length, 5);
    }
    assert.match(read('both-out.log'), /plain text/);
  });

  test('instances get -<id> files; merge_logs puts them in the app files, lines whole', async () => {
    const lines = (name: string, more: Record<string, unknown>) => ({
      name,
      script: join(FIXTURES, 'log-lines.cjs'),
      args: ['2000', name, 'both'],
      instances: 2,
      exec_mode: 'fork' as const,
      ...more,
    });
    await runToEnd(d, [lines('split', {}), lines('merged', { merge_logs: true })]);
    const names = readdirSync(logs);
    assert.ok(names.some((n) => /^split-out-\d+\.log$/.test(n)));
    assert.ok(!names.includes('split-out.log'));
    assert.ok(names.includes('merged-out.log') && names.includes('merged-error.log'));
    assert.ok(!names.some((n) => /^merged-out-\d+\.log$/.test(n)));
    const merged = read('merged-out.log').split('\n').slice(0, -1);
    assert.equal(merged.length, 4000);
    const pad = 'x'.repeat(60);
    for (const l of merged) assert.match(l, new RegExp(`^L merged \\d+ ${pad}$`));
  });
});

describe('framing', () => {
  test('a line written in several chunks is one line; stdout and stderr never splice', async () => {
    const file = join(d.home, 'one-file.log');
    await runToEnd(d, [writes('chunky', 'chunks', { out_file: file, error_file: file })]);
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.pop(), '');
    const expected = [
      ...Array.from({ length: 5 }, (_, i) => `out ${i} first half and second half of out ${i}`),
      ...Array.from({ length: 5 }, (_, i) => `err ${i} first half and second half of err ${i}`),
      'no newline at the end',
    ];
    assert.deepEqual([...lines].sort(), expected.sort());
  });

  test(`a line longer than ${MAX_LINE_BYTES} bytes is cut into marked pieces, every byte kept`, async () => {
    await runToEnd(d, [writes('long', 'long')]);
    const lines = read('long-out.log').split('\n').slice(0, -1);
    assert.equal(lines.length, 5); // 200,000 = 3 full pieces + 3,392, then "end"
    for (const l of lines.slice(0, 3)) assert.equal(l, `${'a'.repeat(MAX_LINE_BYTES)}${CUT_MARK}`);
    assert.equal(lines[3], 'a'.repeat(200_000 - 3 * MAX_LINE_BYTES));
    assert.equal(lines[4], 'end');
  });

  test('binary garbage and a 10 MB line neither crash nor stall the daemon', async () => {
    const w = await watch(d.home);
    await d.client.call('app.start', {
      apps: [{ name: 'ticker', script: join(FIXTURES, 'idle.cjs') }],
      base_dir: d.home,
    });
    await runToEnd(d, [writes('garbage', 'garbage', { time: true })]);
    const text = readFileSync(join(logs, 'garbage-out.log'));
    assert.ok(text.length > 11 * 1024 * 1024);
    assert.match(text.subarray(-60).toString(), /: after\n$/);
    // The daemon still answers and still supervises.
    const { processes } = await d.client.call('process.list');
    assert.equal(processes.find((p) => p.name === 'ticker')?.status, 'online');
    await d.client.call('process.delete', { target: ['ticker'] });
    await w.close();
  });
});

describe('a log file that cannot be opened', () => {
  test('is a clear error on start naming the path; other apps keep running', async () => {
    await d.client.call('app.start', {
      apps: [{ name: 'steady', script: join(FIXTURES, 'idle.cjs') }],
      base_dir: d.home,
    });
    const missing = join(d.home, 'no-such-dir', 'out.log');
    const blocker = join(d.home, 'a-file');
    writeFileSync(blocker, '');
    const { processes } = await d.client.call('app.start', {
      apps: [
        { name: 'nodir', script: join(FIXTURES, 'idle.cjs'), out_file: missing },
        { name: 'notdir', script: join(FIXTURES, 'idle.cjs'), error_file: join(blocker, 'err.log') },
      ],
      base_dir: d.home,
    });
    const nodir = processes.find((p) => p.name === 'nodir');
    assert.equal(nodir?.status, 'errored');
    assert.equal(nodir?.pid, null);
    assert.equal(nodir?.last_error, `cannot open log file ${missing}: its directory does not exist (ENOENT)`);
    const notdir = processes.find((p) => p.name === 'notdir');
    assert.equal(notdir?.status, 'errored');
    assert.match(String(notdir?.last_error), /a-file\/err\.log: a part of the path is not a directory/);
    const list = (await d.client.call('process.list')).processes;
    assert.equal(list.find((p) => p.name === 'steady')?.status, 'online');
    assert.match(
      readFileSync(homePaths(d.home).daemonLog, 'utf8'),
      /nodir\[\d+\] errored: cannot open log file/,
    );

    // Fixed, then restarted: it starts.
    mkdirSync(join(d.home, 'no-such-dir'));
    const w = await watch(d.home);
    await d.client.call('process.restart', { target: ['nodir'] });
    await w.until(reached('nodir', 'online'));
    await w.close();
    await d.client.call('process.delete', { target: ['nodir', 'notdir', 'steady'] });
  });
});
