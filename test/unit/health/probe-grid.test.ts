// The probe grid (one timer per instant for the socket probes of a period) and the loop's use of it: exact
// periods until a probe first passes, the grid afterwards, never for exec probes. Fake clock, scripted runs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProbeHandler, ProbeSpec } from '../../../src/config/spec.js';
import { ProbeGrid } from '../../../src/health/probe-grid.js';
import { ProbeLoop } from '../../../src/health/probe-loop.js';
import type { ProbeResult, RunProbe } from '../../../src/health/probe-types.js';
import type { Timer } from '../../../src/supervisor/ports.js';
import { FakeClock } from '../../helpers/fake-clock.js';

/** A fake clock that counts the timers asked of it. */
class CountingClock extends FakeClock {
  count = 0;
  override setTimer(ms: number, fn: () => void): Timer {
    this.count++;
    return super.setTimer(ms, fn);
  }
}

/** Lets promise callbacks run (no time passes). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ProbeGrid', () => {
  test('runs asked at different times fire together at the next multiple of the period, on one timer', () => {
    const clock = new CountingClock(1_000_000);
    const grid = new ProbeGrid(clock);
    const fired: string[] = [];
    clock.advance(130);
    grid.at(clock.now() + 1000, 1000, () => fired.push(`a@${clock.now()}`));
    clock.advance(500);
    grid.at(clock.now() + 1000, 1000, () => fired.push(`b@${clock.now()}`));
    // A period of 500 shares the instant 1_002_000; one asked for 1_000_830 goes to 1_001_000.
    grid.at(clock.now() + 1000, 500, () => fired.push(`c@${clock.now()}`));
    grid.at(clock.now() + 200, 500, () => fired.push(`d@${clock.now()}`));
    assert.equal(grid.pending, 2, 'two instants: 1_001_000 and 1_002_000');
    clock.advance(5000);
    assert.deepEqual(fired, ['d@1001000', 'a@1002000', 'b@1002000', 'c@1002000']);
    assert.equal(clock.count, 2, 'one timer per instant, not per run');
    assert.equal(grid.pending, 0);
  });

  test('a time on the grid is kept; cancel() prevents the call, and the last one cancelled takes the timer', () => {
    const clock = new FakeClock(1_000_000);
    const grid = new ProbeGrid(clock);
    assert.equal(ProbeGrid.due(1_002_000, 1000), 1_002_000);
    assert.equal(ProbeGrid.due(1_002_001, 1000), 1_003_000);
    const fired: string[] = [];
    const a = grid.at(1_002_000, 1000, () => fired.push('a'));
    const b = grid.at(1_001_999, 1000, () => fired.push('b'));
    a.cancel();
    assert.equal(grid.pending, 1);
    b.cancel();
    assert.equal(grid.pending, 0);
    assert.equal(clock.nextIn(), null, 'no timer left');
    clock.advance(5000);
    assert.deepEqual(fired, []);
  });

  test('a call may cancel another of the same instant', () => {
    const clock = new FakeClock(1_000_000);
    const grid = new ProbeGrid(clock);
    const fired: string[] = [];
    let b: Timer | undefined;
    grid.at(1_001_000, 1000, () => {
      fired.push('a');
      b?.cancel();
    });
    b = grid.at(1_001_000, 1000, () => fired.push('b'));
    clock.advance(1000);
    assert.deepEqual(fired, ['a']);
  });
});

const http: ProbeHandler = {
  http_get: { host: '127.0.0.1', port: 3000, path: '/', scheme: 'http', headers: {} },
};
const exec: ProbeHandler = { exec: { command: 'true', working_dir: null, env: {} } };
const spec = (handler: ProbeHandler): ProbeSpec => ({
  handler,
  initial_delay_ms: 0,
  period_ms: 1000,
  timeout_ms: 5000,
  success_threshold: 1,
  failure_threshold: 3,
});

/** A fake clock whose every timer fires `lateMs` late (a busy event loop). */
class LateClock extends FakeClock {
  constructor(private readonly lateMs: number) {
    super(1_000_000);
  }
  override setTimer(ms: number, fn: () => void): Timer {
    return super.setTimer(ms + this.lateMs, fn);
  }
}

/** A loop whose runs the test settles; `asked` holds each run's clock time, relative to 1_000_000. */
function loop(handler: ProbeHandler, align: boolean, clock: FakeClock = new FakeClock(1_000_000)) {
  const asked: number[] = [];
  const pending: ((ok: boolean) => Promise<void>)[] = [];
  const run: RunProbe = () =>
    new Promise<ProbeResult>((resolve) => {
      const at = clock.now();
      asked.push(at - 1_000_000);
      pending.push(async (ok) => {
        resolve({ ok, at, duration_ms: 0, exit_code: null, output: '', error: ok ? null : 'HTTP 503' });
        await flush();
      });
    });
  const target = { instance: 0, env: {}, cwd: '/' };
  const l = new ProbeLoop('readiness', spec(handler), { clock, run, target, align }, () => {});
  /** Settles the latest run with `ok`, then lets time pass until the loop asks for the next one. */
  const step = async (ok: boolean) => {
    const before = asked.length;
    await pending[pending.length - 1]!(ok);
    for (let i = 0; i < 10 && asked.length === before; i++) clock.advance(clock.nextIn() ?? 0);
  };
  return { clock, asked, l, step, pending };
}

describe('ProbeLoop on the grid', () => {
  test('exact periods until the first success, then the multiples of the period', async () => {
    const { clock, asked, l, step } = loop(http, true);
    l.begin(1_000_300);
    clock.advance(300);
    await step(false); // still waiting for its app: the next run a period later, exactly
    await step(true); // passed at 1300: the next at the first multiple at or after 2300
    await step(true);
    await step(true);
    assert.deepEqual(asked, [300, 1300, 3000, 4000, 5000]);
  });

  test('a grid timer that fires late does not push the next run an instant further', async () => {
    const { clock, asked, l, step } = loop(http, true, new LateClock(40));
    l.begin(1_000_000);
    clock.advance(40);
    await step(true); // passed at 40: next due at 2000, asked at 2040
    await step(true); // due at 3000 (a period after 2000, not after 2040), asked at 3040
    await step(true);
    assert.deepEqual(asked, [40, 2040, 3040, 4040]);
  });

  test('a run that outlives its period: the next at once, counted from then', async () => {
    const { clock, asked, l, step, pending } = loop(http, true);
    l.begin(1_000_000);
    clock.advance(0);
    await step(true);
    clock.advance(2500); // the run asked at 1000 answers at 3500, after its next instant (2000)
    await pending[1]!(true);
    clock.advance(0);
    await step(true);
    assert.deepEqual(asked, [0, 1000, 3500, 5000]);
  });

  test('exec probes, and loops without `align`, keep exact periods', async () => {
    for (const [handler, align] of [
      [exec, true],
      [http, false],
    ] as const) {
      const { clock, asked, l, step } = loop(handler, align);
      l.begin(1_000_300);
      clock.advance(300);
      await step(true);
      await step(true);
      assert.deepEqual(asked, [300, 1300, 2300]);
    }
  });

  test('begin() starts over off the grid; stop() cancels a run waiting on it', async () => {
    const { clock, asked, l, pending, step } = loop(http, true);
    l.begin(1_000_000);
    clock.advance(0);
    await pending[0]!(true);
    clock.advance(100);
    l.stop();
    clock.advance(5000);
    assert.deepEqual(asked, [0]);
    l.begin(1_005_250);
    clock.advance(150);
    await step(false);
    assert.deepEqual(asked, [0, 5250, 6250]);
  });
});
