// Writers and rotation groups on real files, time from a fake clock: size and interval rotation, retention,
// compression, the disk bound, and the exact line sequence across rotations.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { type LogSettings, PLAIN_SETTINGS } from '../../../src/logs/file-sink.js';
import type { LiveBatch } from '../../../src/logs/log-bus.js';
import { LogService } from '../../../src/logs/log-service.js';
import type { Rotation } from '../../../src/logs/rotation-group.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const tmp = mkdtempSync(join(tmpdir(), 'tend-rotation-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let seq = 0;

function setup(settings: Partial<LogSettings>, start = Date.now()) {
  const dir = mkdtempSync(join(tmp, `r${seq++}-`));
  const clock = new FakeClock(start);
  const rotations: Rotation[] = [];
  const service = new LogService({ clock, log: () => {}, rotated: (r) => rotations.push(r) });
  const sink = service.open({
    id: 0,
    name: 'app',
    out_file: join(dir, 'app-out.log'),
    err_file: join(dir, 'app-error.log'),
    settings: { ...PLAIN_SETTINGS, ...settings },
  });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  sink.attach(stdout, stderr);
  return { dir, clock, service, sink, stdout, stderr, rotations };
}

/** The files of a directory, oldest generation first, live files last; gzip ones decompressed. */
function contents(dir: string, live: string): { name: string; text: string; bytes: number }[] {
  const names = readdirSync(dir).filter((n) => n.startsWith(live.replace(/\.log$/, '__')) || n === live);
  names.sort((a, b) => (a === live ? 1 : b === live ? -1 : a < b ? -1 : 1));
  return names.map((name) => {
    const raw = readFileSync(join(dir, name));
    return { name, text: (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString(), bytes: raw.length };
  });
}

const line = (n: number) => `line ${String(n).padStart(5, '0')} ${'x'.repeat(20)}\n`; // 32 bytes

describe('size rotation', () => {
  it('rotates before the live files exceed max_size, at line boundaries; the sequence is exact', async () => {
    const t = setup({ max_size: 200, retain: 1000 });
    let text = '';
    for (let i = 0; i < 100; i++) text += line(i);
    // Odd chunk sizes: lines arrive in pieces.
    for (let i = 0; i < text.length; i += 77) t.stdout.write(text.slice(i, i + 77));
    t.stdout.end();
    t.stderr.end();
    await t.sink.close();
    await t.service.settled();
    const files = contents(t.dir, 'app-out.log');
    assert.ok(files.length > 10, `${files.length} files`);
    for (const f of files) {
      assert.ok(f.bytes <= 200, `${f.name}: ${f.bytes} bytes`);
      assert.ok(f.text === '' || f.text.endsWith('\n'), `${f.name} ends with a whole line`);
    }
    assert.equal(files.map((f) => f.text).join(''), text);
    assert.ok(t.rotations.every((r) => r.reason === 'size'));
  });

  it('a stream that ends first still counts: the live files never hold more than max_size together', async () => {
    // stdout's writer closes (its file stays, full) while stderr still drains a long queue into the group.
    const t = setup({ max_size: 256, retain: 2 });
    for (let i = 0; i < 7; i++) t.stdout.write(line(i));
    for (let i = 0; i < 200; i++) t.stderr.write(line(i));
    t.stdout.end();
    t.stderr.end();
    await t.sink.close();
    await t.service.settled();
    const live = ['app-out.log', 'app-error.log'].reduce((n, f) => n + statSync(join(t.dir, f)).size, 0);
    assert.ok(live <= 256, `the live files hold ${live} bytes together`);
    const all = readdirSync(t.dir).reduce((n, f) => n + statSync(join(t.dir, f)).size, 0);
    assert.ok(
      all <= 256 * 3,
      `${all} bytes on disk: ${readdirSync(t.dir)
        .map((f) => `${f} ${statSync(join(t.dir, f)).size}`)
        .join(', ')}`,
    );
    assert.equal(
      contents(t.dir, 'app-error.log')
        .map((f) => f.text)
        .join('')
        .split('\n').length -
        1 >
        0,
      true,
    );
  });

  it('keeps `retain` generations: the disk used stays within max_size × (retain + 1)', async () => {
    const t = setup({ max_size: 256, retain: 2 });
    for (let i = 0; i < 200; i++) {
      t.stdout.write(line(i));
      t.stderr.write(line(i));
    }
    t.stdout.end();
    t.stderr.end();
    await t.sink.close();
    await t.service.settled();
    const names = readdirSync(t.dir);
    const total = names.reduce((n, name) => n + statSync(join(t.dir, name)).size, 0);
    assert.ok(total <= 256 * 3, `${total} bytes in ${names.join(', ')}`);
    const stamps = new Set(names.map((n) => /__(.*)\.log/.exec(n)?.[1]).filter(Boolean));
    assert.equal(stamps.size, 2, 'two rotated generations');

    // The newest lines are all there, in order.
    const out = contents(t.dir, 'app-out.log')
      .map((f) => f.text)
      .join('');
    // Generations are app-wide (both streams share the budget), so a stream that stopped writing early may
    // have all its rotated files pruned by the other's later rotations; whatever of it is kept is its newest.
    assert.ok(out === '' || out.endsWith(line(199)), `out ends with ${JSON.stringify(out.slice(-40))}`);
    const err = contents(t.dir, 'app-error.log')
      .map((f) => f.text)
      .join('');
    assert.ok(err === '' || err.endsWith(line(199)), `err ends with ${JSON.stringify(err.slice(-40))}`);
    assert.ok(out.length + err.length > 0, 'something is kept');
    const numbers = [...out.matchAll(/line (\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(
      numbers,
      numbers.slice().sort((a, b) => a - b),
    );
    assert.deepEqual(
      numbers,
      Array.from({ length: numbers.length }, (_, i) => numbers[0]! + i),
    );
  });

  it('two streams filling one budget: both sequences exact, no writer left waiting', async () => {
    const t = setup({ max_size: 300, retain: 100_000 });
    let out = '';
    let err = '';
    for (let i = 0; i < 1000; i++) {
      out += line(i);
      err += line(i);
      t.stdout.write(line(i));
      t.stderr.write(line(i));
    }
    t.stdout.end();
    t.stderr.end();
    await t.sink.close(); // would never resolve if a writer waited for room forever
    await t.service.settled();
    assert.equal(
      contents(t.dir, 'app-out.log')
        .map((f) => f.text)
        .join(''),
      out,
    );
    assert.equal(
      contents(t.dir, 'app-error.log')
        .map((f) => f.text)
        .join(''),
      err,
    );
    for (const name of readdirSync(t.dir)) assert.ok(statSync(join(t.dir, name)).size <= 300, name);
  });

  it('compresses rotated files (gzip), counting them at their compressed size', async () => {
    const t = setup({ max_size: 4096, retain: 3, compress: true });
    for (let i = 0; i < 600; i++) t.stdout.write(line(i));
    t.stdout.end();
    t.stderr.end();
    await t.sink.close();
    await t.service.settled();
    const files = contents(t.dir, 'app-out.log');
    const rotated = files.filter((f) => f.name !== 'app-out.log');
    assert.equal(rotated.length, 3);
    for (const f of rotated) assert.match(f.name, /\.log\.gz$/);
    assert.ok(
      rotated.every((f) => f.bytes < 1024),
      'compressed',
    );
    const text = files.map((f) => f.text).join('');
    assert.ok(text.endsWith(line(599)));
    assert.equal(t.rotations.at(-1)?.files[0]?.rotated_to.endsWith('.gz'), true);
  });

  it('puts a line longer than max_size alone into a file of its own', async () => {
    const t = setup({ max_size: 64, retain: 10 });
    const long = `${'y'.repeat(100)}\n`;
    t.stdout.write(`${line(1)}${long}${line(2)}`);
    t.stdout.end();
    t.stderr.end();
    await t.sink.close();
    await t.service.settled();
    assert.deepEqual(
      contents(t.dir, 'app-out.log').map((f) => f.text),
      [line(1), long, line(2)],
    );
  });
});

describe('interval rotation', () => {
  it('rotates when the schedule is due (fake clock), only if the files hold something', async () => {
    const start = new Date(2024, 4, 1, 23, 59, 58).getTime();
    const t = setup({ rotate_interval: 'daily', retain: 5 }, start);
    t.stdout.write('before midnight\n');
    await new Promise((resolve) => setImmediate(resolve));
    await t.service.settled(); // written
    t.clock.advance(3000);
    await t.service.settled();
    t.stdout.write('after midnight\n');
    await new Promise((resolve) => setImmediate(resolve));
    t.clock.advance(24 * 3600 * 1000); // the next midnight: something to rotate again
    await t.service.settled();
    t.clock.advance(24 * 3600 * 1000); // and nothing to rotate the day after
    t.stdout.end();
    t.stderr.end();
    await t.sink.close();
    await t.service.settled();
    const files = contents(t.dir, 'app-out.log');
    assert.deepEqual(
      files.map((f) => f.name),
      ['app-out__2024-05-02_00-00-00-000.log', 'app-out__2024-05-03_00-00-00-000.log', 'app-out.log'],
    );
    assert.deepEqual(
      files.map((f) => f.text),
      ['before midnight\n', 'after midnight\n', ''],
    );
    assert.equal(t.rotations[0]?.reason, 'interval');
  });
});

describe('live lines', () => {
  it('are published with the file offset they were written at, only while someone listens', async () => {
    const t = setup({});
    const batches: LiveBatch[] = [];
    t.stdout.write('unseen\n');
    await new Promise((resolve) => setImmediate(resolve));
    const off = t.service.bus.subscribe({ accepts: () => true, deliver: (b) => batches.push(b) });
    t.stdout.write('one\ntwo\n');
    t.stderr.write('three\n');
    t.stdout.end();
    t.stderr.end();
    await t.sink.close();
    off();
    const out = readFileSync(join(t.dir, 'app-out.log'));
    const seen = batches.filter((b) => b.stream === 'out');
    assert.equal(seen.length, 1);
    const b = seen[0]!;
    assert.equal(b.offset, 7);
    assert.equal(out.subarray(b.offset!, b.offset! + b.bytes.length).toString(), 'one\ntwo\n');
    assert.equal(batches.find((x) => x.stream === 'err')?.bytes.toString(), 'three\n');
  });
});
