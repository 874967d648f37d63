// When tend-runtime ends on its own and with which code: each rule of issue 15 on ProcessInfo-shaped facts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  appEnding,
  exitCodeOf,
  interruptedOneShot,
  judgeEnd,
  type OutcomeRules,
} from '../../../src/container/outcome.js';
import type { ProcessInfo } from '../../../src/protocol/process-info.js';

const info = (p: Partial<ProcessInfo>): ProcessInfo =>
  ({
    id: 0,
    name: 'api',
    status: 'stopped',
    completed: true,
    reason: null,
    last_exit: { code: 0, signal: null, at: 0, uptime_ms: 10 },
    ...p,
  }) as ProcessInfo;
const exit = (code: number | null, signal: string | null = null) => ({ code, signal, at: 0, uptime_ms: 10 });
const orchestrator: OutcomeRules = { mode: 'orchestrator', autoExit: true, services: new Set(['api']) };
const policy: OutcomeRules = { mode: 'policy', autoExit: true, services: new Set(['api']) };

describe('tend-runtime outcome', () => {
  test('exit codes: the code, or 128+N for signal N', () => {
    assert.equal(exitCodeOf(exit(3)), 3);
    assert.equal(exitCodeOf(exit(null, 'SIGTERM')), 143);
    assert.equal(exitCodeOf(exit(null, 'SIGKILL')), 137);
    assert.equal(exitCodeOf(null), null);
  });

  test('orchestrator: a service ending ends the runtime with its code, 0 included', () => {
    assert.deepEqual(judgeEnd(orchestrator, info({ last_exit: exit(3) }), false), {
      code: 3,
      why: 'api [0] exited with code 3',
      app: 'api',
    });
    assert.deepEqual(judgeEnd(orchestrator, info({ last_exit: exit(null, 'SIGSEGV') }), false), {
      code: 139,
      why: 'api [0] was killed by SIGSEGV',
      app: 'api',
    });
    assert.equal(judgeEnd(orchestrator, info({}), false)?.code, 0);
  });

  test('one-shot apps: a success waits for the others; every one ended → 0; a failure ends at once', () => {
    const rules: OutcomeRules = { ...policy, services: new Set() };
    assert.equal(judgeEnd(rules, info({}), false), null);
    assert.deepEqual(judgeEnd(rules, info({}), true), { code: 0, why: 'every app has ended' });
    assert.equal(judgeEnd(rules, info({ last_exit: exit(2) }), false)?.code, 2);
    assert.equal(judgeEnd({ ...orchestrator, services: new Set() }, info({}), false), null);
  });

  test('policy: errored ends with its last code (1 without one), blocked with 1', () => {
    assert.equal(
      judgeEnd(policy, info({ status: 'errored', completed: false, last_exit: exit(4) }), false)?.code,
      4,
    );
    assert.equal(
      judgeEnd(policy, info({ status: 'errored', completed: false, last_exit: null }), false)?.code,
      1,
    );
    assert.equal(
      judgeEnd(policy, info({ status: 'errored', completed: false, last_exit: exit(0) }), false)?.code,
      1,
    );
    assert.match(
      judgeEnd(policy, info({ status: 'blocked', completed: false, reason: 'db errored' }), false)?.why ?? '',
      /^api \[0\] is blocked: db errored$/,
    );
  });

  test('policy: a service done with one of its stop_exit_codes ends nothing; every app ended → 0 (eighth audit)', () => {
    const rules: OutcomeRules = { ...policy, stopExitCodes: new Map([['api', [3]]]) };
    const declared = info({ last_exit: exit(3) });
    assert.equal(appEnding(rules, declared), null);
    assert.equal(judgeEnd(rules, declared, false), null);
    assert.deepEqual(judgeEnd(rules, declared, true), { code: 0, why: 'every app has ended' });
    // Another code (a crash while nothing restarts it: a shutdown) is still a failure; so is a one-shot's
    // non-zero code, and orchestrator mode still exits with the code.
    assert.equal(judgeEnd(rules, info({ last_exit: exit(4) }), false)?.code, 4);
    assert.equal(judgeEnd(policy, declared, false)?.code, 3);
    assert.equal(judgeEnd({ ...rules, services: new Set() }, declared, false)?.code, 3);
    assert.equal(judgeEnd({ ...rules, mode: 'orchestrator' }, declared, false)?.code, 3);
  });

  test('stopped on request (not completed): its code is no verdict; only the "every app ended" rule applies', () => {
    const stopped = info({ completed: false, last_exit: exit(null, 'SIGINT') });
    assert.equal(judgeEnd(policy, stopped, false), null);
    assert.equal(judgeEnd(orchestrator, stopped, false), null);
    assert.equal(judgeEnd(policy, stopped, true)?.code, 0);
  });

  test('a one-shot stopped on request before it completed had not completed: its code, 1 for SIGKILL; 0 when it exited 0 on it (ninth audit)', () => {
    const oneShot: OutcomeRules = { ...orchestrator, services: new Set() };
    for (const rules of [oneShot, { ...oneShot, mode: 'policy' as const }]) {
      assert.deepEqual(judgeEnd(rules, info({ completed: false, last_exit: exit(null, 'SIGTERM') }), true), {
        code: 143,
        why: 'api [0] had not completed (killed by SIGTERM on "tend stop")',
        app: 'api',
      });
      assert.deepEqual(judgeEnd(rules, info({ completed: false, last_exit: exit(null, 'SIGKILL') }), true), {
        code: 1,
        why: 'api [0] had not completed (killed by SIGKILL on "tend stop")',
        app: 'api',
      });
      // Its own verdict on the signal, and a one-shot that never ran (stopped while waiting).
      assert.deepEqual(judgeEnd(rules, info({ completed: false, last_exit: exit(0) }), true), {
        code: 0,
        why: 'every app has ended',
      });
      assert.equal(judgeEnd(rules, info({ completed: false, last_exit: null }), false), null);
    }
  });

  test('an instance tend ended (not ready in time, a probe, the watchdog): 1 with what failed, not 128+N', () => {
    const failed = info({
      reason: 'ready_timeout',
      last_error: "ready_timeout: did not send 'ready' within listen_timeout (500 ms)",
      last_exit: exit(null, 'SIGINT'),
    });
    assert.deepEqual(judgeEnd(orchestrator, failed, false), {
      code: 1,
      why: "api [0] ready_timeout: did not send 'ready' within listen_timeout (500 ms)",
      app: 'api',
    });
    assert.equal(
      judgeEnd(policy, info({ reason: 'liveness', last_exit: exit(null, 'SIGTERM') }), false)?.code,
      1,
    );
    // max_memory_restart with no restart in place (orchestrator mode, autorestart off): an exit 0 or 143 that
    // answered our stop is no success, no crash of its own.
    const memory = info({
      reason: 'memory',
      last_error:
        'memory: memory 210.1 MiB above max_memory_restart 100.0 MiB (not restarted: autorestart off)',
      last_exit: exit(0),
    });
    assert.deepEqual(judgeEnd(orchestrator, memory, false), {
      code: 1,
      why: 'api [0] memory: memory 210.1 MiB above max_memory_restart 100.0 MiB (not restarted: autorestart off)',
      app: 'api',
    });
    assert.equal(judgeEnd(policy, { ...memory, last_exit: exit(null, 'SIGTERM') }, false)?.code, 1);
    // Policy mode: errored after tend's stops (max_restarts of failed starts): 1, not the 143 of its last stop.
    const errored = info({
      status: 'errored',
      completed: false,
      reason: 'ready_timeout',
      last_error:
        "ready_timeout (did not send 'ready'): was killed by SIGTERM after 500 ms; 2 unstable exits",
      last_exit: exit(null, 'SIGTERM'),
    });
    assert.deepEqual(judgeEnd(policy, errored, false), {
      code: 1,
      why: "api [0] is errored (ready_timeout (did not send 'ready'): was killed by SIGTERM after 500 ms; 2 unstable exits)",
      app: 'api',
    });
    // Errored by its own crashes: its own last code still, the exit said once (not "exited with code 4;
    // exited with code 4 after 3 ms").
    assert.equal(judgeEnd(policy, { ...errored, reason: 'exited with code 4 after 3 ms' }, false)?.code, 143);
    const crashed = info({
      status: 'errored',
      completed: false,
      reason: 'exited with code 4 after 3 ms',
      last_exit: exit(4),
    });
    assert.equal(judgeEnd(policy, crashed, false)?.why, 'api [0] is errored (exited with code 4 after 3 ms)');
  });

  test('--no-auto-exit: nothing ends the runtime but a signal', () => {
    const rules = { ...orchestrator, autoExit: false };
    assert.equal(judgeEnd(rules, info({ last_exit: exit(3) }), true), null);
    assert.equal(judgeEnd(rules, info({ status: 'errored', completed: false }), true), null);
  });

  test("an app's own ending (what /readyz holds against it under --no-auto-exit): failures and services gone, not completions", () => {
    const rules = { ...orchestrator, autoExit: false };
    assert.deepEqual(appEnding(rules, info({ last_exit: exit(3) })), {
      code: 3,
      why: 'api [0] exited with code 3',
      app: 'api',
    });
    // A service gone with 0 in orchestrator mode: nothing restarts it.
    assert.equal(appEnding(rules, info({}))?.code, 0);
    // A one-shot completing with 0, or an app stopped on request: no verdict.
    assert.equal(appEnding({ ...rules, services: new Set() }, info({})), null);
    assert.equal(appEnding(rules, info({ completed: false, last_exit: exit(null, 'SIGINT') })), null);
    assert.equal(appEnding(policy, info({ status: 'online', last_exit: null })), null);
    // Every app completed is the runtime's verdict, not an app's: no `app`.
    assert.deepEqual(judgeEnd({ ...policy }, info({}), true), { code: 0, why: 'every app has ended' });
  });
});

describe('tend-runtime outcome: an end that answered the stop signal', () => {
  // `job` is a one-shot (not among the services), `api` a service.
  const stopped = (p: Partial<ProcessInfo>) => info({ name: 'job', completed: false, ...p });
  test('a one-shot that had not completed: its code (a Job stopped mid-run is Failed)', () => {
    assert.deepEqual(interruptedOneShot(policy, stopped({ last_exit: exit(1) })), {
      code: 1,
      why: 'job [0] had not completed (exited with code 1 on the stop signal)',
      app: 'job',
    });
    assert.equal(interruptedOneShot(orchestrator, stopped({ last_exit: exit(null, 'SIGTERM') }))?.code, 143);
  });

  test('no verdict: exit 0 on the signal, never ran, tend SIGKILLed it, a service, a completed run', () => {
    assert.equal(interruptedOneShot(policy, stopped({ last_exit: exit(0) })), null);
    assert.equal(interruptedOneShot(policy, stopped({ last_exit: null })), null);
    assert.equal(interruptedOneShot(policy, stopped({ last_exit: exit(null, 'SIGKILL') })), null);
    assert.equal(
      interruptedOneShot(policy, stopped({ name: 'api', last_exit: exit(null, 'SIGTERM') })),
      null,
    );
    assert.equal(interruptedOneShot(policy, stopped({ completed: true, last_exit: exit(1) })), null);
    assert.equal(interruptedOneShot(policy, stopped({ status: 'errored', last_exit: exit(1) })), null);
  });
});
