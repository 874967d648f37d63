// Lossless capture at full speed and built-in rotation with a real daemon: 200,000 numbered lines from one
// app, from ten apps, and across size rotations, checked line by line; retention and compression bounds;
// interval rotation; global defaults from TEND_LOG_* variables.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { homePaths } from '../../../src/protocol/home.js';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { assertSequence, readRotated, runToEnd } from '../../helpers/logs.js';
import { watch } from '../../helpers/until.js';

let d: TestDaemon;
let logs: string;
before(async () => {
  d = await startTestDaemon();
  logs = homePaths(d.home).logDir;
});
after(() => d.stop());

const lines = (name: string, count: number, more: Record<string, unknown> = {}) => ({
  name,
  script: join(FIXTURES, 'log-lines.cjs'),
  args: [String(count), name],
  ...more,
});
const sizeOf = (prefix: string) =>
  readdirSync(logs)
    .filter((n) => n.startsWith(prefix))
    .reduce((n, name) => n + statSync(join(logs, name)).size, 0);

describe('no line lost, duplicated or reordered', () => {
  test('200,000 lines from one app, with timestamps', async () => {
    await runToEnd(d, [lines('one', 200_000, { time: true })]);
    assertSequence(readRotated(logs, 'one-out.log'), 'one', 200_000);
  });

  test('200,000 lines from 10 apps at once (20,000 each)', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `ten${i}`);
    await runToEnd(
      d,
      names.map((n) => lines(n, 20_000)),
    );
    for (const n of names) assertSequence(readRotated(logs, `${n}-out.log`), n, 20_000);
  });

  test('200,000 lines across size rotations (1M), and 10 apps rotating at once', async () => {
    const w = await watch(d.home);
    const names = Array.from({ length: 10 }, (_, i) => `rot${i}`);
    await runToEnd(d, [
      lines('rotated', 200_000, { max_size: '1M', retain: 100, time: true }),
      ...names.map((n) => lines(n, 20_000, { max_size: '256K', retain: 100 })),
    ]);
    const rotations = w.events.filter((e) => e.event === 'log.rotated' && e.data.name === 'rotated');
    assert.ok(rotations.length >= 10, `${rotations.length} rotations`);
    assertSequence(readRotated(logs, 'rotated-out.log'), 'rotated', 200_000);
    for (const n of names) assertSequence(readRotated(logs, `${n}-out.log`), n, 20_000);
    for (const name of readdirSync(logs).filter((f) => f.startsWith('rotated-out'))) {
      assert.ok(statSync(join(logs, name)).size <= 1024 * 1024, name);
    }
    await w.close();
  });
});

describe('retention and compression', () => {
  test('disk used by an app stays within max_size × (retain + 1), compressed files at their size', async () => {
    const w = await watch(d.home);
    await runToEnd(d, [
      lines('bounded', 50_000, { max_size: '64K', retain: 3, args: ['50000', 'bounded', 'both'] }),
      lines('zipped', 50_000, { max_size: '64K', retain: 3, compress: true }),
    ]);
    assert.ok(sizeOf('bounded') <= 64 * 1024 * 4, `bounded: ${sizeOf('bounded')}`);
    const rotated = readdirSync(logs).filter((n) => n.startsWith('bounded-') && n.includes('__'));
    assert.equal(new Set(rotated.map((n) => n.split('__')[1])).size, 3, rotated.join(' '));
    // Which generations are kept depends on how the two pipes' reads interleaved: the events say whether
    // stderr's file took part in the rotations at all.
    const withErr = w.events.filter(
      (e) =>
        e.event === 'log.rotated' &&
        e.data.name === 'bounded' &&
        e.data.files.some((f) => f.path.endsWith('bounded-error.log')),
    );
    assert.ok(withErr.length > 0, 'stderr rotates with stdout');
    await w.close();
    const zipped = readdirSync(logs).filter((n) => n.startsWith('zipped-out__'));
    assert.equal(zipped.length, 3);
    for (const n of zipped)
      assert.match(n, /^zipped-out__\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}-\d{3}\.log\.gz$/);
    assert.ok(sizeOf('zipped') < 64 * 1024 * 2);
    // The newest lines are all there, in order, across the compressed files and the live one.
    const text = readRotated(logs, 'zipped-out.log');
    assert.match(text, /L zipped 49999 x+\n$/);
    const numbers = [...text.matchAll(/L zipped (\d+) /g)].map((m) => Number(m[1]));
    const first = numbers[0] as number;
    assert.deepEqual(
      numbers,
      Array.from({ length: 50_000 - first }, (_, i) => first + i),
    );
  });

  test('rotate_interval (cron, here every second): rotations while the app keeps writing', async () => {
    const w = await watch(d.home);
    await d.client.call('app.start', {
      apps: [{ name: 'cron', script: join(FIXTURES, 'log-ticker.cjs'), rotate_interval: '* * * * * *' }],
      base_dir: d.home,
    });
    const rotated = await w.until((e) => e.event === 'log.rotated' && e.data.name === 'cron', {
      what: 'an interval rotation',
    });
    assert.equal(rotated.event === 'log.rotated' && rotated.data.reason, 'interval');
    await d.client.call('process.delete', { target: ['cron'] });
    const text = readRotated(logs, 'cron-out.log');
    const ticks = [...text.matchAll(/^tick (\d+)$/gm)].map((m) => Number(m[1]));
    assert.deepEqual(
      ticks,
      Array.from({ length: ticks.length }, (_, i) => i),
    );
    assert.ok(readdirSync(logs).some((n) => /^cron-out__.*\.log$/.test(n)));
    await w.close();
  });

  test('global defaults come from TEND_LOG_* variables of the caller; fields override them', async () => {
    const env = {
      ...process.env,
      TEND_LOG_TIME: 'true',
      TEND_LOG_MAX_SIZE: '10K',
      TEND_LOG_RETAIN: '1',
    } as Record<string, string>;
    await d.client.call('app.start', {
      apps: [
        { name: 'dflt', script: join(FIXTURES, 'idle.cjs'), autorestart: false },
        { name: 'own', script: join(FIXTURES, 'idle.cjs'), autorestart: false, time: false, retain: 7 },
      ],
      base_dir: d.home,
      env,
    });
    const { details } = await d.client.call('process.describe', { target: ['dflt', 'own'] });
    const [dflt, own] = details;
    assert.equal(dflt?.config.time, true);
    assert.equal(dflt?.config.max_size, 10 * 1024);
    assert.equal(dflt?.config.retain, 1);
    assert.equal(own?.config.time, false);
    assert.equal(own?.config.retain, 7);
    await assert.rejects(
      d.client.call('app.start', {
        apps: [{ name: 'bad', script: join(FIXTURES, 'idle.cjs') }],
        base_dir: d.home,
        env: { ...env, TEND_LOG_MAX_SIZE: 'big' },
      }),
      /environment: TEND_LOG_MAX_SIZE: expected a size.*got "big"/,
    );
    await d.client.call('process.delete', { target: ['dflt', 'own'] });
  });
});
