// The probe engine's Kubernetes semantics with a fake clock and a scripted runner: no process, no socket, no
// real time. Each run the engine asks for is recorded with the clock time it was asked at; the test settles
// it when it chooses.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProbeSpec } from '../../../src/config/spec.js';
import { RUNNER_GRACE_MS } from '../../../src/health/probe-loop.js';
import type { ProbeResult, RunProbe } from '../../../src/health/probe-types.js';
import {
  type InstanceProbeSpecs,
  InstanceProbes,
  type ProbeHealth,
  startupBudgetMs,
} from '../../../src/health/probes.js';
import { FakeClock } from '../../helpers/fake-clock.js';

interface Call {
  url: string;
  askedAt: number;
  signal: AbortSignal;
  settle(result: Partial<ProbeResult>): Promise<void>;
}

/** A runner whose runs stay pending until the test settles them. */
function scriptedRunner(clock: FakeClock) {
  const calls: Call[] = [];
  const run: RunProbe = (handler, _target, _timeoutMs, signal) =>
    new Promise<ProbeResult>((resolve) => {
      const url = 'http_get' in handler ? handler.http_get.path : 'other';
      const askedAt = clock.now();
      calls.push({
        url,
        askedAt,
        signal: signal!,
        settle: async (r) => {
          resolve({
            ok: true,
            at: askedAt,
            duration_ms: 0,
            exit_code: null,
            output: 'HTTP 200',
            error: null,
            ...r,
          });
          await flush();
        },
      });
    });
  return { run, calls, of: (path: string) => calls.filter((c) => c.url === path) };
}

/** Lets the engine's promise callbacks run (microtasks and one macrotask turn; no time passes). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

const ok = { ok: true, output: 'HTTP 200' };
const http503 = { ok: false, output: 'HTTP 503' };
const refused = {
  ok: false,
  output: 'connect ECONNREFUSED 127.0.0.1:3000',
  error: 'connect ECONNREFUSED 127.0.0.1:3000',
};

function probe(path: string, over: Partial<ProbeSpec> = {}): ProbeSpec {
  return {
    handler: { http_get: { host: '127.0.0.1', port: 3000, path, scheme: 'http', headers: {} } },
    initial_delay_ms: 0,
    period_ms: 10_000,
    timeout_ms: 1000,
    success_threshold: 1,
    failure_threshold: 3,
    ...over,
  };
}

function setup(specs: Partial<InstanceProbeSpecs>) {
  const clock = new FakeClock();
  const runner = scriptedRunner(clock);
  const log: string[] = [];
  const healths: ProbeHealth[] = [];
  const probes = new InstanceProbes(
    { startup: null, readiness: null, liveness: null, ...specs },
    { instance: 0, env: { PORT: '3000' }, cwd: '/' },
    { clock, run: runner.run },
    {
      startupPassed: () => log.push('startupPassed'),
      startupFailed: (reason) => log.push(`startupFailed: ${reason}`),
      readiness: (ready, reason) => log.push(`readiness ${ready}${reason === null ? '' : `: ${reason}`}`),
      livenessFailed: (reason) => log.push(`livenessFailed: ${reason}`),
      healthChanged: (h) => healths.push(h),
    },
  );
  const t0 = clock.now();
  return { clock, runner, log, healths, probes, t0 };
}

describe('InstanceProbes: timing', () => {
  test('no startup probe: startupPassed inside start(); first run after initial delay, then every period', async () => {
    const { clock, runner, log, probes, t0 } = setup({
      readiness: probe('/readyz', { initial_delay_ms: 5000, period_ms: 2000 }),
    });
    probes.start();
    assert.deepEqual(log, ['startupPassed']);
    clock.advance(4999);
    assert.equal(runner.calls.length, 0, 'nothing before the initial delay');
    clock.advance(1);
    assert.equal(runner.calls.length, 1);
    await runner.calls[0]!.settle({ ...ok, duration_ms: 30 });
    clock.advance(1999);
    assert.equal(runner.calls.length, 1);
    clock.advance(1);
    await runner.calls[1]!.settle(ok);
    clock.advance(2000);
    assert.deepEqual(
      runner.calls.map((c) => c.askedAt - t0),
      [5000, 7000, 9000],
    );
  });

  test('a probe never overlaps itself; a run that outlives its timeout is a failure, the next follows a period after it started', async () => {
    const { clock, runner, probes, t0 } = setup({
      liveness: probe('/healthz', { period_ms: 3000, timeout_ms: 1000 }),
    });
    probes.start();
    clock.advance(0);
    assert.equal(runner.calls.length, 1);
    // The runner never answers: the engine's guard fails the run (after the grace it leaves the runner).
    clock.advance(1000 + RUNNER_GRACE_MS - 1);
    assert.equal(probes.lastProbe?.kind, undefined, 'no verdict yet');
    clock.advance(1);
    assert.equal(runner.calls[0]!.signal.aborted, true, 'the run is aborted');
    assert.equal(probes.lastProbe?.ok, false);
    assert.equal(probes.lastProbe?.error, 'timeout after 1000 ms');
    assert.equal(runner.calls.length, 1, 'no second run while the first was in flight');
    clock.advance(1000);
    assert.equal(runner.calls.length, 2, 'next run: a period after the previous one started');
    assert.equal(runner.calls[1]!.askedAt - t0, 3000);
    // Its late verdict is ignored.
    await runner.calls[0]!.settle(ok);
    assert.equal(probes.lastProbe?.error, 'timeout after 1000 ms');
  });

  test('a run longer than its period: the next starts as soon as it ended', async () => {
    const { clock, runner, probes, t0 } = setup({
      liveness: probe('/healthz', { period_ms: 1000, timeout_ms: 5000 }),
    });
    probes.start();
    clock.advance(0);
    clock.advance(2500);
    assert.equal(runner.calls.length, 1);
    await runner.calls[0]!.settle(ok);
    clock.advance(0);
    assert.equal(runner.calls.length, 2);
    assert.equal(runner.calls[1]!.askedAt - t0, 2500);
  });

  test('a success that comes after the timeout counts as a failure', async () => {
    const { clock, runner, probes } = setup({ liveness: probe('/healthz', { timeout_ms: 1000 }) });
    probes.start();
    clock.advance(0);
    clock.advance(1500);
    await runner.calls[0]!.settle(ok);
    assert.equal(probes.lastProbe?.ok, false);
    assert.match(probes.lastProbe?.error ?? '', /took 1500 ms, over the timeout of 1000 ms/);
  });

  test('a runner that throws fails the run instead of the engine', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const probes = new InstanceProbes(
      { startup: probe('/s', { failure_threshold: 1 }), readiness: null, liveness: null },
      { instance: 0, env: {}, cwd: '/' },
      {
        clock,
        run: () => {
          throw new Error('boom');
        },
      },
      {
        startupPassed: () => log.push('passed'),
        startupFailed: (r) => log.push(r),
        readiness: () => {},
        livenessFailed: () => {},
      },
    );
    probes.start();
    clock.advance(0);
    await flush();
    assert.deepEqual(log, ['startup probe failed 1 time: boom']);
  });
});

describe('InstanceProbes: startup probe', () => {
  test('holds the others back until it passes; their initial delays count from the spawn', async () => {
    const { clock, runner, log, probes, t0 } = setup({
      startup: probe('/startz', { period_ms: 1000 }),
      readiness: probe('/readyz', { initial_delay_ms: 1500 }),
      liveness: probe('/healthz'),
    });
    probes.start();
    assert.deepEqual(log, []);
    clock.advance(0);
    await runner.of('/startz')[0]!.settle(http503);
    clock.advance(1000);
    assert.deepEqual(
      runner.calls.map((c) => c.url),
      ['/startz', '/startz'],
      'readiness and liveness wait',
    );
    await runner.of('/startz')[1]!.settle(ok);
    assert.deepEqual(log, ['startupPassed']);
    clock.advance(0);
    assert.equal(runner.of('/healthz')[0]?.askedAt, t0 + 1000, 'liveness at once (no delay)');
    assert.equal(runner.of('/readyz').length, 0);
    clock.advance(500);
    assert.equal(runner.of('/readyz')[0]?.askedAt, t0 + 1500, 'readiness at spawn + its initial delay');
    clock.advance(60_000);
    assert.equal(runner.of('/startz').length, 2, 'the startup probe stops once it passed');
  });

  test('failure_threshold consecutive failures: startupFailed with the last failure, and no more probing', async () => {
    const { clock, runner, log, probes } = setup({
      startup: probe('/startz', { period_ms: 1000 }),
      liveness: probe('/healthz'),
    });
    probes.start();
    for (let i = 0; i < 3; i++) {
      clock.advance(i === 0 ? 0 : 1000);
      await runner.calls[i]!.settle(http503);
    }
    assert.deepEqual(log, ['startupFailed: startup probe failed 3 times: HTTP 503']);
    assert.equal(clock.nextIn(), null, 'no timer left');
    clock.advance(100_000);
    assert.equal(runner.calls.length, 3);
  });

  test('a success resets the failure count', async () => {
    const { clock, runner, log, probes } = setup({
      startup: probe('/startz', { period_ms: 1000, failure_threshold: 2 }),
      readiness: probe('/readyz'),
    });
    probes.start();
    clock.advance(0);
    await runner.calls[0]!.settle(http503);
    clock.advance(1000);
    await runner.calls[1]!.settle(ok);
    assert.deepEqual(log, ['startupPassed']);
  });

  test('startupBudgetMs: initial delay + period × failure threshold', () => {
    assert.equal(
      startupBudgetMs(probe('/', { initial_delay_ms: 2000, period_ms: 500, failure_threshold: 10 })),
      7000,
    );
  });
});

describe('InstanceProbes: readiness', () => {
  test('success_threshold 2: ready on the second consecutive success only', async () => {
    const { clock, runner, log, probes } = setup({
      readiness: probe('/readyz', { period_ms: 1000, success_threshold: 2 }),
    });
    probes.start();
    clock.advance(0);
    await runner.calls[0]!.settle(ok);
    assert.equal(probes.ready, false);
    clock.advance(1000);
    await runner.calls[1]!.settle(http503);
    clock.advance(1000);
    await runner.calls[2]!.settle(ok);
    assert.equal(probes.ready, false, 'a failure in between starts the count over');
    clock.advance(1000);
    await runner.calls[3]!.settle(ok);
    assert.equal(probes.ready, true);
    assert.deepEqual(log, ['startupPassed', 'readiness true']);
  });

  test('flapping: events only on changes, false at failure_threshold, true again at the next success', async () => {
    const { clock, runner, log, probes } = setup({ readiness: probe('/readyz', { period_ms: 1000 }) });
    probes.start();
    const outcomes = [ok, ok, http503, http503, ok, http503, http503, http503, http503, http503, ok, ok];
    for (const [i, outcome] of outcomes.entries()) {
      clock.advance(i === 0 ? 0 : 1000);
      await runner.calls[i]!.settle(outcome);
    }
    assert.deepEqual(log, [
      'startupPassed',
      'readiness true',
      'readiness false: readiness probe failed 3 times: HTTP 503',
      'readiness true',
    ]);
  });

  test('never ready and failing: one readiness false when the verdict turns failing (eighth audit: a start waiting for it settles on it), health unhealthy, probing goes on', async () => {
    const { clock, runner, log, probes } = setup({ readiness: probe('/readyz', { period_ms: 1000 }) });
    probes.start();
    for (let i = 0; i < 4; i++) {
      clock.advance(i === 0 ? 0 : 1000);
      await runner.calls[i]!.settle(http503);
    }
    assert.deepEqual(log, ['startupPassed', 'readiness false: readiness probe failed 3 times: HTTP 503']);
    assert.equal(probes.health, 'unhealthy');
    clock.advance(1000);
    assert.equal(runner.calls.length, 5, 'a readiness probe never stops on its own');
  });
});

describe('InstanceProbes: liveness', () => {
  test('failure_threshold consecutive failures: livenessFailed with the error; every probe stops', async () => {
    const { clock, runner, log, probes } = setup({
      readiness: probe('/readyz', { period_ms: 1000 }),
      liveness: probe('/healthz', { period_ms: 1000 }),
    });
    probes.start();
    for (let i = 0; i < 3; i++) {
      clock.advance(i === 0 ? 0 : 1000);
      await runner.of('/readyz')[i]!.settle(ok);
      await runner.of('/healthz')[i]!.settle(refused);
    }
    assert.deepEqual(log, [
      'startupPassed',
      'readiness true',
      'livenessFailed: liveness probe failed 3 times: connect ECONNREFUSED 127.0.0.1:3000',
    ]);
    assert.equal(probes.health, 'unhealthy');
    assert.equal(clock.nextIn(), null);
    clock.advance(100_000);
    assert.equal(runner.calls.length, 6);
  });

  test('exec failures name the exit code and the first line of output', async () => {
    const { clock, runner, log, probes } = setup({ liveness: probe('/healthz', { failure_threshold: 1 }) });
    probes.start();
    clock.advance(0);
    await runner.calls[0]!.settle({ ok: false, exit_code: 2, output: '\ndb unreachable\nmore\n' });
    assert.deepEqual(log, [
      'startupPassed',
      'livenessFailed: liveness probe failed 1 time: exit code 2: db unreachable',
    ]);
  });
});

describe('InstanceProbes: stop, health, last probe', () => {
  test('stop() aborts the run in flight and ignores its verdict', async () => {
    const { clock, runner, log, probes } = setup({ liveness: probe('/healthz', { failure_threshold: 1 }) });
    probes.start();
    clock.advance(0);
    probes.stop();
    assert.equal(runner.calls[0]!.signal.aborted, true);
    await runner.calls[0]!.settle(refused);
    assert.deepEqual(log, ['startupPassed']);
    assert.equal(probes.lastProbe, null);
    assert.equal(clock.nextIn(), null);
  });

  test('health: unknown → healthy → unhealthy → healthy, reset to unknown by start(); lastProbe follows', async () => {
    const { clock, runner, healths, probes } = setup({
      readiness: probe('/readyz', { period_ms: 1000, failure_threshold: 1 }),
      liveness: probe('/healthz', { period_ms: 1000, initial_delay_ms: 500 }),
    });
    probes.start();
    assert.equal(probes.health, 'unknown');
    clock.advance(0);
    await runner.of('/readyz')[0]!.settle(ok);
    assert.equal(probes.health, 'unknown', 'liveness has not spoken yet');
    clock.advance(500);
    await runner.of('/healthz')[0]!.settle({ ...ok, output: 'HTTP 204' });
    assert.equal(probes.health, 'healthy');
    assert.deepEqual(
      { kind: probes.lastProbe?.kind, output: probes.lastProbe?.output },
      { kind: 'liveness', output: 'HTTP 204' },
    );
    clock.advance(500);
    await runner.of('/readyz')[1]!.settle(http503);
    assert.equal(probes.health, 'unhealthy');
    assert.equal(probes.lastProbe?.kind, 'readiness');
    clock.advance(1000);
    await runner.of('/readyz')[2]!.settle(ok);
    assert.equal(probes.health, 'healthy');
    probes.start();
    assert.equal(probes.health, 'unknown');
    assert.equal(probes.ready, false);
    assert.equal(probes.lastProbe, null);
    assert.deepEqual(healths, ['healthy', 'unhealthy', 'healthy', 'unknown']);
  });

  test('health is unknown with only a startup probe', async () => {
    const { clock, runner, probes } = setup({ startup: probe('/startz') });
    probes.start();
    clock.advance(0);
    await runner.calls[0]!.settle(ok);
    assert.equal(probes.health, 'unknown');
  });

  test('start() again (a new incarnation) starts the schedule over and ignores the old run', async () => {
    const { clock, runner, log, probes, t0 } = setup({
      startup: probe('/startz', { period_ms: 1000, initial_delay_ms: 100 }),
    });
    probes.start();
    clock.advance(100);
    clock.advance(50);
    probes.start();
    await runner.calls[0]!.settle(ok);
    assert.deepEqual(log, [], 'the old incarnation’s verdict does not count');
    clock.advance(100);
    assert.equal(runner.calls[1]?.askedAt, t0 + 250);
    await runner.calls[1]!.settle(ok);
    assert.deepEqual(log, ['startupPassed']);
  });
});

describe('InstanceProbes: runs reported (metrics, issue 14)', () => {
  test('every run reaches ran(), passed or failed, whether or not it changes a verdict', async () => {
    const clock = new FakeClock();
    const runner = scriptedRunner(clock);
    const runs: string[] = [];
    const probes = new InstanceProbes(
      { startup: probe('/s'), readiness: probe('/r', { period_ms: 1000 }), liveness: null },
      { instance: 0, env: {}, cwd: '/' },
      { clock, run: runner.run },
      {
        startupPassed: () => {},
        startupFailed: () => {},
        readiness: () => {},
        livenessFailed: () => {},
        ran: (kind, passed) => runs.push(`${kind} ${passed}`),
      },
    );
    probes.start();
    clock.advance(0);
    await runner.of('/s')[0]!.settle(refused);
    clock.advance(10_000);
    await runner.of('/s')[1]!.settle(ok);
    clock.advance(0);
    await runner.of('/r')[0]!.settle(ok);
    clock.advance(1000);
    await runner.of('/r')[1]!.settle(http503);
    probes.stop();
    assert.deepEqual(runs, ['startup false', 'startup true', 'readiness true', 'readiness false']);
  });
});
