// What is left in the container at the end (strays.ts), on the injected clock with a fake process list:
// SIGTERM, the rest of the grace period (at least STRAYS_MIN_MS) to end, then SIGKILL; nothing at all when
// nothing is left.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STRAYS_MIN_MS, sweepStrays } from '../../../src/container/strays.js';
import { FakeClock } from '../../helpers/fake-clock.js';

/** `pids` left besides PID 1 and the runtime; SIGKILL ends one, SIGTERM too if polite. */
function namespace(pids: number[], polite: boolean) {
  const sent: string[] = [];
  const alive = new Set(pids);
  return {
    sent,
    end: () => alive.clear(),
    list: () => [...alive],
    kill(pid: number, signal: NodeJS.Signals) {
      if (!alive.has(pid)) throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      sent.push(`${signal} ${pid}`);
      if (signal === 'SIGKILL' || polite) alive.delete(pid);
    },
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sweep = (clock: FakeClock, ns: ReturnType<typeof namespace>, graceMs: number, notes: string[] = []) =>
  sweepStrays({ clock, list: ns.list, kill: (p, s) => ns.kill(p, s), note: (l) => notes.push(l) }, graceMs);

describe('tend-runtime: what is left in the container at the end', () => {
  test('nothing left: no signal, no note', async () => {
    const ns = namespace([], true);
    const notes: string[] = [];
    assert.equal(await sweep(new FakeClock(), ns, 5000, notes).done, 'none');
    assert.deepEqual([ns.sent, notes], [[], []]);
  });

  test('polite: SIGTERM to each, gone at the next look, no SIGKILL', async () => {
    const clock = new FakeClock();
    const ns = namespace([40, 41], true);
    const s = sweep(clock, ns, 5000);
    clock.advance(50);
    assert.equal(await s.done, 'stopped');
    assert.deepEqual(ns.sent, ['SIGTERM 40', 'SIGTERM 41']);
  });

  test('stubborn: SIGKILL once the rest of the grace period is over, not before', async () => {
    const clock = new FakeClock();
    const ns = namespace([40], false);
    const notes: string[] = [];
    const s = sweep(clock, ns, 3000, notes);
    let result: string | null = null;
    void s.done.then((r) => {
      result = r;
    });
    clock.advance(2950);
    await turn();
    assert.equal(result, null);
    assert.ok(!ns.sent.includes('SIGKILL 40'));
    clock.advance(50);
    assert.equal(await s.done, 'sigkilled');
    assert.deepEqual(ns.sent, ['SIGTERM 40', 'SIGKILL 40']);
    assert.deepEqual(notes, [
      "SIGTERM sent to 1 process(es) left in the container outside every app's process tree",
      'SIGKILL sent to 1 process(es) still left in the container',
    ]);
  });

  test('the grace period used up by the apps: still STRAYS_MIN_MS between SIGTERM and SIGKILL', async () => {
    const clock = new FakeClock();
    const ns = namespace([40], false);
    const s = sweep(clock, ns, -500);
    clock.advance(STRAYS_MIN_MS - 50);
    await turn();
    assert.deepEqual(ns.sent, ['SIGTERM 40']);
    clock.advance(50);
    assert.equal(await s.done, 'sigkilled');
  });

  test('one that ends just as the grace period does: no SIGKILL counted; a second signal: SIGKILL now', async () => {
    const clock = new FakeClock();
    const late = namespace([40], false);
    const s = sweep(clock, late, 1000);
    clock.advance(990);
    late.end();
    clock.advance(10);
    assert.equal(await s.done, 'stopped');
    const ns = namespace([40], false);
    const hurried = sweep(clock, ns, 60_000);
    hurried.hurry();
    assert.equal(await hurried.done, 'sigkilled');
  });
});
