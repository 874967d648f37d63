// tend-runtime's one compacting collection (runtime/compact-heap.ts): with the runtime's Node flags, a real
// collection that gives emptied old-generation pages back; without them (no `gc`), nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { compactHeapOnce } from '../../../src/runtime/compact-heap.js';

test('no gc (TEND_RUNTIME_NODE_FLAGS without --expose-gc): false, nothing done', (t) => {
  if (typeof (globalThis as { gc?: unknown }).gc === 'function') t.skip('this test process has --expose-gc');
  else assert.equal(compactHeapOnce(), false);
});

test('with the runtime flags: the garbage of a spread-out heap is freed and its pages given back', () => {
  // Old-generation objects that survive scavenges, half of them dropped: their pages end half empty, which
  // only a compacting collection gives back (a plain one leaves them committed).
  const script = `
    const { getHeapSpaceStatistics } = require('node:v8');
    const old = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').physical_space_size;
    let keep = [];
    for (let i = 0; i < 40000; i++) keep.push({ i, s: 'x'.repeat(40) + i });
    for (let i = 0; i < 4; i++) gc({ type: 'minor' });
    keep = keep.filter((_, i) => i % 8 === 0);
    const before = old();
    const { compactHeapOnce } = require(process.argv[1]);
    const ran = compactHeapOnce();
    console.log(JSON.stringify({ ran, before, after: old(), kept: keep.length }));
  `;
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--compact-on-every-full-gc',
      '--import',
      'tsx',
      '-e',
      script,
      new URL('../../../src/runtime/compact-heap.ts', import.meta.url).pathname,
    ],
    { encoding: 'utf8' },
  );
  const r = JSON.parse(out.trim().split('\n').pop() as string) as {
    ran: boolean;
    before: number;
    after: number;
  };
  assert.equal(r.ran, true);
  assert.ok(r.after < r.before * 0.6, `old space ${r.before} -> ${r.after} bytes`);
});
