// tend's restart budget as systemd's start rate limit: tend allows max_restarts unstable exits in a row and
// gives up at the next one; systemd counts starts (the first included) within StartLimitIntervalSec= and
// refuses the one past StartLimitBurst=. The audit found `max_restarts: 0` written as StartLimitBurst=0,
// which turns systemd's limit off (an endless crash loop). The mapping is checked against tend's own
// restart policy (supervisor/restart-policy.ts's decide()), run through a crash loop.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderExport } from '../../../src/export/render.js';
import { BACKOFF_FACTOR, type Counters, decide } from '../../../src/supervisor/restart-policy.js';
import { appsFixtures } from './support.js';

const { inputFor } = appsFixtures('tend-export-restarts-');

async function unitOf(app: Record<string, unknown>, systemdVersion = 252) {
  const input = await inputFor([{ name: 'x', ...app }], { systemdVersion });
  const unit = renderExport('systemd', input).files[0]?.content ?? '';
  const num = (key: string) => Number(new RegExp(`^${key}=(\\d+)`, 'm').exec(unit)?.[1]);
  return { unit, spec: input.apps[0], burst: num('StartLimitBurst'), interval: num('StartLimitIntervalSec') };
}

/**
 * tend's crash loop, each run exiting just before min_uptime: the number of starts it makes before giving
 * up, and the time from the first start to the start it would have made next (what systemd must refuse).
 */
function tendLoop(spec: NonNullable<Awaited<ReturnType<typeof unitOf>>['spec']>) {
  let counters: Counters = { unstable: 0, crashes: 0 };
  let starts = 1;
  let elapsed = 0;
  for (;;) {
    const uptimeMs = Math.max(0, spec.min_uptime - 1);
    const r = decide(spec, counters, { code: 1, signal: null, uptimeMs, failedStart: false });
    counters = r.counters;
    elapsed += uptimeMs;
    if (r.verdict.kind !== 'restart') return { starts, elapsed };
    elapsed += r.verdict.delayMs;
    starts++;
  }
}

describe('max_restarts and min_uptime → StartLimitBurst and StartLimitIntervalSec', () => {
  test('max_restarts: 0 gives up at the first unstable exit: StartLimitBurst=1, never 0 (0 is "no limit")', async () => {
    const { burst, unit } = await unitOf({ max_restarts: 0 });
    assert.equal(burst, 1);
    assert.doesNotMatch(unit, /^StartLimitBurst=0$/m);
  });

  test('the burst is the number of starts tend makes in a crash loop; the interval covers them', async () => {
    const cases: Record<string, unknown>[] = [
      {},
      { max_restarts: 0 },
      { max_restarts: 1, min_uptime: 500 },
      { max_restarts: 3, min_uptime: 2000, restart_delay: 500 },
      { max_restarts: 20, min_uptime: 100, restart_delay: 0 },
      { max_restarts: 5, exp_backoff_restart_delay: 100 },
      { max_restarts: 4, exp_backoff_restart_delay: 20000, exp_backoff_max_delay: 1000 },
    ];
    for (const app of cases)
      for (const version of [252, 254]) {
        const { spec, burst, interval } = await unitOf(app, version);
        assert.ok(spec);
        const loop = tendLoop(spec);
        const what = `${JSON.stringify(app)} on systemd ${version}`;
        assert.equal(burst, spec.max_restarts + 1, what);
        assert.equal(burst, loop.starts, what);
        // Every start of the loop, and the one refused, fall within the interval (the runtime's own start
        // adds to each run: the interval is larger than tend's times alone).
        assert.ok(interval * 1000 > loop.elapsed, `${what}: ${interval}s ≤ ${loop.elapsed}ms`);
      }
  });

  test('RestartSteps= grows the delay as tend does (×1.5 per restart), not twice as fast', async () => {
    const { unit } = await unitOf({ exp_backoff_restart_delay: 100, exp_backoff_max_delay: 15000 }, 254);
    const steps = Number(/^RestartSteps=(\d+)$/m.exec(unit)?.[1]);
    // systemd multiplies by (max / base)^(1 / steps) per restart.
    const factor = 150 ** (1 / steps);
    assert.ok(factor <= BACKOFF_FACTOR && factor > 1.4, `factor ${factor} (RestartSteps=${steps})`);
  });

  test('a backoff start above its cap: RestartSec= is the cap, what tend waits every time, and no RestartSteps=', async () => {
    // Eighth audit: RestartSec=20s with RestartMaxDelaySec=1s (systemd ≥ 254 resets RestartSec= at every load,
    // and 252 waited 20 s where tend waits 1 s).
    for (const version of [252, 254]) {
      const { unit, spec } = await unitOf(
        { exp_backoff_restart_delay: 20000, exp_backoff_max_delay: 1000 },
        version,
      );
      assert.ok(spec);
      const r = decide(
        spec,
        { unstable: 0, crashes: 0 },
        { code: 1, signal: null, uptimeMs: 0, failedStart: false },
      );
      assert.equal(r.verdict.kind === 'restart' && r.verdict.delayMs, 1000);
      assert.match(unit, /^RestartSec=1s$/m, `systemd ${version}`);
      assert.doesNotMatch(unit, /RestartSteps|RestartMaxDelaySec/, `systemd ${version}`);
    }
  });
});
