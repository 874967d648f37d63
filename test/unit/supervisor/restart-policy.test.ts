import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay, type Counters, decide } from '../../../src/supervisor/restart-policy.js';
import { makeSpec } from '../../helpers/spec.js';

const fresh: Counters = { unstable: 0, crashes: 0 };
const crash = (uptimeMs: number, code: number | null = 1) => ({
  code,
  signal: null,
  uptimeMs,
  failedStart: false,
});

describe('restart policy', () => {
  test('autorestart off: done', () => {
    assert.equal(decide(makeSpec({ autorestart: false }), fresh, crash(10)).verdict.kind, 'done');
  });

  test('stop_exit_codes: done; a signal with no code is never a stop code', () => {
    const spec = makeSpec({ stop_exit_codes: [0, 3] });
    assert.equal(decide(spec, fresh, crash(10, 3)).verdict.kind, 'done');
    assert.equal(decide(spec, fresh, crash(10, 2)).verdict.kind, 'restart');
    assert.equal(
      decide(spec, fresh, { code: null, signal: 'SIGKILL', uptimeMs: 10, failedStart: false }).verdict.kind,
      'restart',
    );
  });

  test('max_restarts consecutive unstable exits, then give up', () => {
    const spec = makeSpec({ max_restarts: 3, min_uptime: 1000 });
    let c = fresh;
    const kinds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = decide(spec, c, crash(50));
      c = r.counters;
      kinds.push(r.verdict.kind);
    }
    assert.deepEqual(kinds, ['restart', 'restart', 'restart', 'give-up']);
    assert.equal(c.unstable, 4);
  });

  test('a stable run resets the unstable count', () => {
    const spec = makeSpec({ max_restarts: 1, min_uptime: 1000 });
    const r1 = decide(spec, fresh, crash(50));
    const r2 = decide(spec, r1.counters, crash(5000));
    assert.equal(r2.verdict.kind, 'restart');
    assert.equal(r2.counters.unstable, 0);
    assert.equal(decide(spec, r2.counters, crash(50)).verdict.kind, 'restart');
  });

  test('a failed start is unstable whatever its uptime', () => {
    const r = decide(makeSpec({ min_uptime: 10 }), fresh, {
      code: null,
      signal: 'SIGINT',
      uptimeMs: 60_000,
      failedStart: true,
    });
    assert.equal(r.counters.unstable, 1);
  });

  test('restart_delay is the delay without backoff', () => {
    const r = decide(makeSpec({ restart_delay: 250 }), fresh, crash(50));
    assert.deepEqual(r.verdict.kind === 'restart' && r.verdict.delayMs, 250);
  });

  test('exponential backoff: ×1.5 per crash in a row, capped, reset by a stable run', () => {
    const spec = makeSpec({ exp_backoff_restart_delay: 100, exp_backoff_max_delay: 400, max_restarts: 50 });
    let c = fresh;
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = decide(spec, c, crash(10));
      c = r.counters;
      if (r.verdict.kind === 'restart') delays.push(r.verdict.delayMs);
    }
    assert.deepEqual(delays, [100, 150, 225, 338, 400, 400]);
    const stable = decide(spec, c, crash(5000));
    assert.equal(stable.verdict.kind === 'restart' && stable.verdict.delayMs, 100);
  });

  test('backoffDelay', () => {
    assert.equal(backoffDelay(0, 1000, 5), 0);
    assert.equal(backoffDelay(100, 10_000, 1), 100);
    assert.equal(backoffDelay(100, 10_000, 3), 225);
  });
});
