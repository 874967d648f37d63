// Fault 7 of issue 16: a full disk must not tear or splice log lines. The app's log is on a 512 KiB tmpfs
// (root only: skipped with the reason otherwise) filled up to a few pages, then the app writes a burst far
// larger than the space left: the disk runs out in the middle of a write. Expected: the file holds whole
// lines only (the fragment of the cut line is truncated away), the lines that did not fit are counted (in
// the process info, `describe`, and `process.log-dropped` events), and once space returns writing resumes
// on a line of its own.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { TendClient } from '../../src/client/client.js';
import type { TendEvent } from '../../src/protocol/events.js';
import { FIXTURES, runCli, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/tmpfs.js';
import { watch } from '../helpers/until.js';

const COUNT = 400; // lines per burst: 400 × 111 bytes, far more than the 8 KiB left
let disk: SmallDisk;
let mnt = '';
let skip: string | false = false;
let d: TestDaemon | undefined;
before(() => {
  disk = mountSmallDisk();
  ({ path: mnt, skip } = disk);
});
after(async () => {
  await d?.stop();
  disk.remove();
});

/** Resolves when the live stream shows a line equal to `text` (logs.subscribe on its own connection). */
function liveLine(logs: TendClient, text: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = logs.listen((e: TendEvent) => {
      if (e.event === 'log.lines' && e.data.lines.includes(text)) {
        stop();
        resolve();
      }
    });
  });
}

test('a full disk mid-write: whole lines only, drops counted and shown, writing resumes', async (t) => {
  if (skip) return t.skip(skip);
  d = await startTestDaemon();
  const dir = join(mnt, 'logs');
  mkdirSync(dir);
  const out = join(dir, 'burst-out.log');
  const { processes } = await d.client.call('app.start', {
    apps: [
      {
        name: 'burst',
        script: join(FIXTURES, 'log-burst.cjs'),
        args: [String(COUNT)],
        wait_ready: true,
        out_file: out,
        err_file: '/dev/null',
      },
    ],
    base_dir: FIXTURES,
    wait: true,
  });
  assert.equal(processes[0]?.status, 'online');

  // Fill the disk, then give back two pages: the burst will run out of space part way through a write.
  const filler = join(mnt, 'filler');
  try {
    writeFileSync(filler, Buffer.alloc(1024 * 1024));
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  }
  truncateSync(filler, statSync(filler).size - 8192);

  const events = await watch(d.home);
  const logs = await d.connect();
  try {
    const burstSeen = liveLine(logs, 'line end');
    await logs.call('logs.subscribe', { target: ['burst'], streams: ['out'] });
    await d.client.call('process.signal', { target: ['burst'], signal: 'SIGUSR1' });
    await burstSeen;
    const drop = await events.until((e) => e.event === 'process.log-dropped', {
      what: 'process.log-dropped',
    });
    assert.ok(drop.event === 'process.log-dropped' && drop.data.path === out && drop.data.lines > 0);

    // The count is in the process info, and describe shows it.
    const info = (await d.client.call('process.list')).processes[0];
    assert.ok((info?.log_dropped ?? 0) > 0, `log_dropped is ${info?.log_dropped}`);
    const described = await runCli(['describe', 'burst'], { home: d.home });
    assert.match(described.stdout, /log lines dropped\s+\d+ \(not written/);

    // Space again: the next burst goes in whole, on lines of its own.
    rmSync(filler);
    const afterSeen = liveLine(logs, 'after end');
    await d.client.call('process.signal', { target: ['burst'], signal: 'SIGUSR2' });
    await afterSeen;
    // delete replies once every line read is written and the files are closed; the last drop report is
    // published before process.deleted.
    await d.client.call('process.delete', { target: ['burst'] });
    await events.until((e) => e.event === 'process.deleted', { what: 'process.deleted' });
  } finally {
    await logs.close();
    await events.close();
  }

  const text = readFileSync(out, 'utf8');
  assert.ok(text.endsWith('\n'), 'the file ends with a whole line');
  const lines = text.slice(0, -1).split('\n');
  const shape = /^(line|after) (\d{6} x{96}|end)$/;
  for (const line of lines) assert.match(line, shape, 'a torn or spliced line');
  const kept = lines.filter((l) => l.startsWith('line ')).length;
  const resumed = lines.filter((l) => l.startsWith('after ')).length;
  assert.ok(kept > 0 && kept <= COUNT, `the disk ran out mid-burst (${kept} of ${COUNT + 1} kept)`);
  assert.equal(resumed, COUNT + 1, 'every line after space returned is in the file');
  // In order: the kept lines of the burst are its first ones, then the whole second burst.
  const expected = [
    ...Array.from({ length: kept }, (_, i) => `line ${String(i).padStart(6, '0')}`),
    ...Array.from({ length: COUNT }, (_, i) => `after ${String(i).padStart(6, '0')}`),
    'after end',
  ];
  assert.deepEqual(
    lines.map((l) => l.slice(0, 12).trimEnd()),
    expected.map((l) => l.slice(0, 12)),
  );

  // Every line is accounted for: in the file, or counted as dropped (the last event carries the total).
  const drops = events.events.filter((e) => e.event === 'process.log-dropped');
  const last = drops.at(-1);
  assert.ok(last?.event === 'process.log-dropped');
  assert.equal(last.data.total, COUNT + 1 - kept);
  assert.equal(
    drops.reduce((n, e) => n + (e.event === 'process.log-dropped' ? e.data.lines : 0), 0),
    last.data.total,
  );
  console.log(
    `full disk: ${kept} lines kept, ${last.data.total} dropped and counted, ${resumed} after space returned`,
  );
});
