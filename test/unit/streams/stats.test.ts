// The CPU/memory history: fractions of a core, bytes, 90 points, instances that come and go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatsHistory } from '../../../src/http/streams/stats.js';
import type { ProcessInfo } from '../../../src/protocol/process-info.js';

const info = (name: string, instance: number, pid: number | null, cpu: number, memory: number) =>
  ({ name, instance, pid, cpu, memory }) as ProcessInfo;

test('one point per instance per sample: cpu as a fraction of one core, memory in bytes; 0 when not running', () => {
  const h = new StatsHistory(10_000, 90);
  const point = h.add([info('api', 0, 10, 12.5, 5e7), info('api', 1, null, 0, 0)], 1000);
  assert.deepEqual(point, {
    interval_ms: 10_000,
    at: 1000,
    instances: { 'api:0': { cpu: 0.125, memory: 5e7 }, 'api:1': { cpu: 0, memory: 0 } },
  });
  h.add([info('api', 0, 10, 150, 6e7), info('api', 1, 11, 0.1, 1e6)], 11_000);
  assert.deepEqual(h.snapshot(), {
    interval_ms: 10_000,
    at: 11_000,
    instances: {
      'api:0': { cpu: [0.125, 1.5], memory: [5e7, 6e7] },
      'api:1': { cpu: [0, 0.001], memory: [0, 1e6] },
    },
  });
});

test('15 minutes kept (90 points, oldest dropped); removed instances disappear; new ones start short', () => {
  const h = new StatsHistory(10_000, 90);
  for (let i = 0; i < 100; i++) h.add([info('api', 0, 10, i, i)], i * 10_000);
  const api = h.snapshot().instances['api:0'];
  assert.equal(api?.cpu.length, 90);
  assert.equal(api?.memory[0], 10);
  assert.equal(api?.memory.at(-1), 99);
  h.add([info('web', 0, 12, 1, 1)], 1_000_000);
  assert.deepEqual(Object.keys(h.snapshot().instances), ['web:0']);
  assert.equal(h.snapshot().instances['web:0']?.cpu.length, 1);
});

test('the snapshot is a copy', () => {
  const h = new StatsHistory();
  h.add([info('a', 0, 1, 1, 1)], 0);
  const snap = h.snapshot();
  snap.instances['a:0']?.cpu.push(42);
  assert.equal(h.snapshot().instances['a:0']?.cpu.length, 1);
  assert.equal(new StatsHistory().snapshot().at, null);
});
