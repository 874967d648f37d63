import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALL_STATUSES,
  type Effect,
  transition,
  type UnitEvent,
  type Verdict,
  type Want,
} from '../../../src/supervisor/transitions.js';

const restartVerdict: Verdict = { kind: 'restart', delayMs: 100, reason: 'crash' };
const EVENTS: UnitEvent[] = [
  { type: 'start' },
  { type: 'stop' },
  { type: 'shutdown' },
  { type: 'restart' },
  { type: 'spawned', gated: false },
  { type: 'spawned', gated: true },
  { type: 'spawn-failed', reason: 'ENOENT' },
  { type: 'ready' },
  { type: 'ready-timeout' },
  { type: 'exited', verdict: restartVerdict },
  { type: 'exited', verdict: { kind: 'done', reason: 'stop code' } },
  { type: 'exited', verdict: { kind: 'give-up', reason: 'too many' } },
  { type: 'kill-timeout' },
  { type: 'restart-timer' },
  { type: 'reload' },
  { type: 'successor-ready' },
  { type: 'successor-failed', reason: 'not ready' },
];
const WANTS: Want[] = ['up', 'down', 'restart'];
const types = (effects: readonly Effect[]) => effects.map((e) => e.type);

describe('transition table', () => {
  test('every state × want × event gives a defined state and never spawns twice in a row', () => {
    for (const status of ALL_STATUSES)
      for (const want of WANTS)
        for (const e of EVENTS) {
          const t = transition({ status, want }, e);
          assert.ok(ALL_STATUSES.includes(t.next.status), `${status}/${want} + ${e.type}`);
          assert.ok(WANTS.includes(t.next.want));
          assert.ok(types(t.effects).filter((x) => x === 'spawn').length <= 1);
          // A spawn only ever leads to launching.
          if (types(t.effects).includes('spawn'))
            assert.equal(t.next.status, 'launching', `${status} + ${e.type}`);
        }
  });

  test('start from stopped or errored launches and resets the unstable counter', () => {
    for (const status of ['stopped', 'errored'] as const) {
      const t = transition({ status, want: 'down' }, { type: 'start' });
      assert.deepEqual(t.next, { status: 'launching', want: 'up' });
      assert.deepEqual(types(t.effects), ['hold', 'reset-unstable', 'set-error', 'spawn']);
    }
  });

  test('start while online or launching changes nothing', () => {
    for (const status of ['online', 'launching'] as const)
      assert.deepEqual(transition({ status, want: 'up' }, { type: 'start' }), {
        next: { status, want: 'up' },
        effects: [],
      });
  });

  test('start while stopping (down) relaunches once the old process exits', () => {
    const t = transition({ status: 'stopping', want: 'down' }, { type: 'start' });
    assert.deepEqual(t.next, { status: 'stopping', want: 'restart' });
    const after = transition(t.next, { type: 'exited', verdict: restartVerdict });
    assert.deepEqual(after.next, { status: 'launching', want: 'up' });
    assert.ok(types(after.effects).includes('spawn'));
  });

  test('stop signals a running process and waits for its exit', () => {
    for (const status of ['online', 'launching'] as const) {
      const t = transition({ status, want: 'up' }, { type: 'stop' });
      assert.deepEqual(t.next, { status: 'stopping', want: 'down' });
      // Online, a reload may be in progress: its replacement is abandoned first (see reload.test.ts).
      assert.deepEqual(types(t.effects), status === 'online' ? ['drop-successor', 'signal'] : ['signal']);
    }
    const exited = transition(
      { status: 'stopping', want: 'down' },
      { type: 'exited', verdict: restartVerdict },
    );
    assert.deepEqual(exited.next, { status: 'stopped', want: 'down' });
  });

  test('shutdown: wanted down at once, no signal (it comes in its turn); nothing pending stays pending', () => {
    for (const status of ['online', 'launching', 'stopping'] as const)
      for (const want of WANTS) {
        const t = transition({ status, want }, { type: 'shutdown' });
        assert.deepEqual(t.next, { status, want: 'down' }, `${status}/${want}`);
        assert.ok(!types(t.effects).includes('signal'));
      }
    const w = transition({ status: 'waiting-restart', want: 'up' }, { type: 'shutdown' });
    assert.deepEqual(w.next, { status: 'stopped', want: 'down' });
    assert.deepEqual(types(w.effects), ['cancel-restart-timer']);
    for (const status of ['waiting', 'blocked', 'errored', 'stopped'] as const)
      assert.deepEqual(transition({ status, want: 'up' }, { type: 'shutdown' }).next, {
        status: 'stopped',
        want: 'down',
      });
  });

  test('after a shutdown began, an exit is never restarted (completed, its verdict kept); a failure keeps it down', () => {
    for (const status of ['online', 'launching'] as const)
      for (const e of EVENTS.filter((x) => x.type === 'exited')) {
        const t = transition({ status, want: 'down' }, e);
        assert.deepEqual(t.next, { status: 'stopped', want: 'down' }, `${status} + ${e.verdict.kind}`);
        assert.ok(!types(t.effects).includes('spawn') && !types(t.effects).includes('schedule-restart'));
        assert.ok(types(t.effects).includes('complete'));
      }
    for (const e of [{ type: 'failed' }, { type: 'ready-timeout' }] as const)
      assert.deepEqual(transition({ status: 'launching', want: 'down' }, e).next, {
        status: 'stopping',
        want: 'down',
      });
  });

  test('stop while waiting-restart cancels the timer; no kill needed', () => {
    const t = transition({ status: 'waiting-restart', want: 'up' }, { type: 'stop' });
    assert.deepEqual(t.next, { status: 'stopped', want: 'down' });
    assert.deepEqual(types(t.effects), ['cancel-restart-timer']);
  });

  test('an exit while down never restarts, whatever the verdict', () => {
    for (const e of EVENTS.filter((x) => x.type === 'exited')) {
      const t = transition({ status: 'stopping', want: 'down' }, e);
      assert.equal(t.next.status, 'stopped');
      assert.ok(!types(t.effects).includes('spawn') && !types(t.effects).includes('schedule-restart'));
    }
  });

  test('an unexpected exit follows the verdict', () => {
    const r = transition({ status: 'online', want: 'up' }, { type: 'exited', verdict: restartVerdict });
    assert.deepEqual(r.next, { status: 'waiting-restart', want: 'up' });
    assert.deepEqual(r.effects.at(-1), { type: 'schedule-restart', delayMs: 100, reason: 'crash' });
    const d = transition(
      { status: 'online', want: 'up' },
      { type: 'exited', verdict: { kind: 'done', reason: 'x' } },
    );
    assert.deepEqual(d.next, { status: 'stopped', want: 'down' });
    const g = transition(
      { status: 'launching', want: 'up' },
      { type: 'exited', verdict: { kind: 'give-up', reason: 'x' } },
    );
    assert.equal(g.next.status, 'errored');
    assert.deepEqual(g.effects.at(-1), { type: 'set-error', reason: 'x' });
  });

  test('restart of a running process stops it, then launches again regardless of the policy', () => {
    const t = transition({ status: 'online', want: 'up' }, { type: 'restart' });
    assert.deepEqual(t.next, { status: 'stopping', want: 'restart' });
    const give = transition(t.next, { type: 'exited', verdict: { kind: 'give-up', reason: 'x' } });
    assert.deepEqual(give.next, { status: 'launching', want: 'up' });
    assert.deepEqual(types(give.effects), ['clear-process-timers', 'count-restart', 'spawn']);
  });

  test('restart while waiting-restart launches now', () => {
    const t = transition({ status: 'waiting-restart', want: 'up' }, { type: 'restart' });
    assert.equal(t.next.status, 'launching');
    assert.ok(types(t.effects).includes('cancel-restart-timer'));
  });

  test('wait_ready: spawned stays launching with a ready timer; ready goes online', () => {
    const s = transition({ status: 'launching', want: 'up' }, { type: 'spawned', gated: true });
    assert.deepEqual(s.next, { status: 'launching', want: 'up' });
    assert.deepEqual(types(s.effects), ['start-ready-timer']);
    const r = transition(s.next, { type: 'ready' });
    assert.equal(r.next.status, 'online');
    const n = transition({ status: 'launching', want: 'up' }, { type: 'spawned', gated: false });
    assert.equal(n.next.status, 'online');
  });

  test('a ready timeout is a failed start: stop it and let the policy judge the exit', () => {
    const t = transition({ status: 'launching', want: 'up' }, { type: 'ready-timeout' });
    assert.deepEqual(t.next, { status: 'stopping', want: 'up' });
    assert.deepEqual(types(t.effects), ['signal']);
    const e = transition(t.next, { type: 'exited', verdict: restartVerdict });
    assert.equal(e.next.status, 'waiting-restart');
    assert.equal(
      transition({ status: 'online', want: 'up' }, { type: 'ready-timeout' }).next.status,
      'online',
    );
  });

  test('a spawn failure is errored unless the process was being stopped', () => {
    const t = transition({ status: 'launching', want: 'up' }, { type: 'spawn-failed', reason: 'ENOENT' });
    assert.equal(t.next.status, 'errored');
    assert.deepEqual(t.effects, [{ type: 'set-error', reason: 'ENOENT' }]);
    assert.equal(
      transition({ status: 'stopping', want: 'down' }, { type: 'spawn-failed', reason: 'x' }).next.status,
      'stopped',
    );
  });

  test('kill timeout escalates only while stopping', () => {
    assert.deepEqual(
      types(transition({ status: 'stopping', want: 'down' }, { type: 'kill-timeout' }).effects),
      ['kill'],
    );
    for (const status of ALL_STATUSES.filter((s) => s !== 'stopping'))
      assert.deepEqual(transition({ status, want: 'up' }, { type: 'kill-timeout' }).effects, []);
  });

  test('the restart timer launches only from waiting-restart', () => {
    const t = transition({ status: 'waiting-restart', want: 'up' }, { type: 'restart-timer' });
    assert.deepEqual(t.next, { status: 'launching', want: 'up' });
    assert.deepEqual(types(t.effects), ['count-restart', 'spawn']);
    for (const status of ALL_STATUSES.filter((s) => s !== 'waiting-restart'))
      assert.equal(transition({ status, want: 'up' }, { type: 'restart-timer' }).next.status, status);
  });
});
