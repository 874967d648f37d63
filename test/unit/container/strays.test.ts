// What is left in the container at the end (strays.ts), on the injected clock with a fake kill(-1): SIGTERM,
// the rest of the grace period to end, then SIGKILL; nothing at all when nothing is left.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sweepStrays } from '../../../src/container/strays.js';
import { FakeClock } from '../../helpers/fake-clock.js';

/** A namespace with `left` processes besides PID 1 and the runtime; SIGKILL ends them, SIGTERM if polite. */
function namespace(left: number, polite: boolean) {
  const sent: string[] = [];
  let alive = left;
  return {
    sent,
    end: () => {
      alive = 0;
    },
    kill(pid: number, signal: NodeJS.Signals | 0) {
      assert.equal(pid, -1);
      if (alive === 0) throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      sent.push(String(signal));
      if (signal === 'SIGKILL' || (signal === 'SIGTERM' && polite)) alive = 0;
    },
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('tend-runtime: what is left in the container at the end', () => {
  test('nothing left: no signal, no note', async () => {
    const ns = namespace(0, true);
    const notes: string[] = [];
    const s = sweepStrays({ clock: new FakeClock(), kill: ns.kill, note: (l) => notes.push(l) }, 5000);
    assert.equal(await s.done, 'none');
    assert.deepEqual([ns.sent, notes], [[], []]);
  });

  test('polite: SIGTERM, gone at the next look, no SIGKILL', async () => {
    const clock = new FakeClock();
    const ns = namespace(2, true);
    const s = sweepStrays({ clock, kill: ns.kill, note: () => {} }, 5000);
    clock.advance(50);
    assert.equal(await s.done, 'stopped');
    assert.deepEqual(ns.sent, ['SIGTERM']);
  });

  test('stubborn: SIGKILL once the rest of the grace period is over, not before', async () => {
    const clock = new FakeClock();
    const ns = namespace(1, false);
    const notes: string[] = [];
    const s = sweepStrays({ clock, kill: ns.kill, note: (l) => notes.push(l) }, 3000);
    let result: string | null = null;
    void s.done.then((r) => {
      result = r;
    });
    clock.advance(2950);
    await turn();
    assert.equal(result, null);
    assert.ok(!ns.sent.includes('SIGKILL'));
    clock.advance(50);
    assert.equal(await s.done, 'sigkilled');
    assert.equal(ns.sent.at(-1), 'SIGKILL');
    assert.deepEqual(notes, [
      "SIGTERM sent to the processes left in the container (outside every app's process tree)",
      'SIGKILL sent to the processes still left in the container',
    ]);
  });

  test('one that ends just as the grace period does: no SIGKILL counted; a second signal: SIGKILL now', async () => {
    const clock = new FakeClock();
    const late = namespace(1, false);
    const s = sweepStrays({ clock, kill: late.kill, note: () => {} }, 1000);
    clock.advance(990);
    late.end();
    clock.advance(10);
    assert.equal(await s.done, 'stopped');
    const ns = namespace(1, false);
    const hurried = sweepStrays({ clock, kill: ns.kill, note: () => {} }, 60_000);
    hurried.hurry();
    assert.equal(await hurried.done, 'sigkilled');
  });
});
