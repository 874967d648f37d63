// Reading a log file from its end (src/logs/tail.ts): the last lines, filtered, across the rotated files; and
// the budget a filtered request of the HTTP API reads within (tenth audit: `?grep=` on a 400 MB log read it
// all, synchronously, and blocked the daemon 3 to 5 s).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FILTER_BUDGET, filterShare, shownBytes, tailLines } from '../../../src/logs/tail.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-tail-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const file = join(dir, 'app-out.log');
// 4 MiB of lines: "early" once at the start, numbered lines after it.
const lines = ['early', ...Array.from({ length: 200_000 }, (_, i) => `line ${String(i).padStart(12, '0')}`)];
writeFileSync(file, `${lines.join('\n')}\n`);

test('the last lines, newest last; a filter reads back until it has them', () => {
  assert.deepEqual(tailLines(file, { max: 2 }).lines, ['line 000000199998', 'line 000000199999']);
  const found = tailLines(file, { max: 1, keep: (l) => l === 'early' });
  assert.deepEqual(found, { lines: ['early'], stopped: false });
});

test('a budget: reading stops once it is spent, said as exhausted; what was found is kept', () => {
  const budget = { bytes: 256 * 1024 };
  const r = tailLines(file, { max: 10, keep: (l) => l === 'early' || l.endsWith('99999'), budget });
  assert.equal(r.exhausted, true);
  assert.deepEqual(r.lines, ['line 000000199999']);
  assert.ok(budget.bytes <= 0);
  // Shared by the calls of one request: spent, the next call reads nothing.
  assert.deepEqual(tailLines(file, { max: 1, budget }), { lines: [], stopped: false, exhausted: true });
  // Large enough: the whole file, nothing exhausted.
  const whole = tailLines(file, { max: 1, keep: (l) => l === 'early', budget: { bytes: 64 * 1024 * 1024 } });
  assert.deepEqual(whole, { lines: ['early'], stopped: false });
});

test("a request's budget is shared by its files: each searched as far back (its verification: one big log hid a small one's match)", () => {
  assert.equal(filterShare(1), FILTER_BUDGET);
  assert.equal(filterShare(4), FILTER_BUDGET / 4);
  assert.equal(filterShare(1000), 256 * 1024);
  assert.deepEqual(
    [shownBytes(filterShare(1)), shownBytes(filterShare(3)), shownBytes(filterShare(1000))],
    ['16 MiB', '5.3 MiB', '256 KiB'],
  );
});
