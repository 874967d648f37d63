// tend-runtime's exit codes (issue 15), each rule with the built bin/tend-runtime.js as a child: the app's own
// code when it exits (128+N for a signal), 0 after a clean shutdown by signal and 1 when something had to be
// SIGKILLed (after the app got the stop signal first), 0 when one-shot apps all complete, the coded error
// for a config or usage problem, and the errored app's code in policy mode.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES } from '../helpers/daemon.js';
import { fileRuntimes, runRuntimeToEnd } from '../helpers/runtime.js';

const fx = (name: string) => join(FIXTURES, name);
const OFF = ['--health-listen', 'off'];
const { start } = fileRuntimes();

describe('tend-runtime: exit codes', () => {
  test('orchestrator mode (one app): the app exits with 3, the runtime exits 3', async () => {
    const r = await runRuntimeToEnd([fx('exit-code.cjs'), ...OFF, '--', '3']);
    assert.equal(r.code, 3, r.err.join('\n'));
    assert.ok(r.err.some((l) => /--restart orchestrator/.test(l)));
    assert.ok(
      r.err.some((l) => /exit-code \[0\] exited with code 3/.test(l)),
      r.err.join('\n'),
    );
  });

  test('a service exiting 0 in orchestrator mode ends the runtime with 0', async () => {
    const r = await runRuntimeToEnd([fx('exit-code.cjs'), ...OFF, '--', '0']);
    assert.equal(r.code, 0, r.err.join('\n'));
  });

  test('an app killed by a signal: 128+N (SIGTERM → 143, SIGKILL → 137)', async () => {
    const term = await runRuntimeToEnd([fx('runtime-self-kill.cjs'), ...OFF, '--', 'SIGTERM']);
    assert.equal(term.code, 143, term.err.join('\n'));
    const kill = await runRuntimeToEnd([fx('runtime-self-kill.cjs'), ...OFF, '--', 'SIGKILL']);
    assert.equal(kill.code, 137, kill.err.join('\n'));
  });

  test('SIGTERM with a cooperative app: the app stops, the runtime exits 0', async () => {
    const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'solo']);
    await r.line('out', /^solo up \d+$/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
    // The app's own stop signal reached it: kill_signal, SIGTERM by default under tend-runtime (the
    // container's stop signal; PM2's SIGINT elsewhere), so its process.on('SIGTERM') drain runs.
    assert.ok(r.out.includes('solo got SIGTERM'), r.out.join('\n'));
  });

  test('kill_signal: SIGTERM by default under tend-runtime; a kill_signal the file sets wins', async () => {
    const r = start([fx('runtime-killsignal.config.cjs'), ...OFF, '--format']);
    await r.line('out', /^sigint \| sigint up \d+$/);
    await r.line('out', /^plain \| plain up \d+$/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
    assert.ok(r.out.includes('sigint | sigint got SIGINT'), r.out.join('\n'));
    assert.ok(r.out.includes('plain | plain got SIGTERM'), r.out.join('\n'));
  });

  test('SIGINT and SIGQUIT are shutdowns too', async () => {
    for (const sig of ['SIGINT', 'SIGQUIT'] as const) {
      const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'solo']);
      await r.line('out', /^solo up \d+$/);
      r.signal(sig);
      assert.equal(await r.exit, 0, `${sig}: ${r.err.join('\n')}`);
    }
  });

  test('an app ignoring its stop signal: SIGKILL at the end of --grace-period, exit 1; it got the signal first', async () => {
    const r = start([fx('runtime-app.cjs'), ...OFF, '--grace-period', '1s', '--', 'mule', 'stubborn']);
    await r.line('out', /^mule up \d+$/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 1, r.err.join('\n'));
    assert.ok(r.out.includes('mule got SIGTERM'), r.out.join('\n'));
    assert.ok(
      r.err.some((l) => /grace period of 1000 ms is over/.test(l)),
      r.err.join('\n'),
    );
    assert.ok(
      r.err.some((l) => /SIGKILL sent to 1 process group/.test(l)),
      r.err.join('\n'),
    );
  });

  test('one-shot apps that all complete with 0: exit 0 (policy mode, two apps)', async () => {
    const r = await runRuntimeToEnd([fx('runtime-oneshots.config.cjs'), ...OFF]);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.ok(r.err.some((l) => /--restart policy/.test(l)));
    assert.ok(
      r.err.some((l) => /every app has ended/.test(l)),
      r.err.join('\n'),
    );
  });

  test('policy mode: an app that becomes errored ends the runtime with its last exit code', async () => {
    const r = await runRuntimeToEnd([fx('runtime-policy.config.cjs'), ...OFF]);
    assert.equal(r.code, 4, r.err.join('\n'));
    assert.ok(
      r.err.some((l) => /flaky \[\d+\] is errored \(exited with code 4/.test(l)),
      r.err.join('\n'),
    );
    // The other app was stopped on the way out.
    assert.ok(r.out.includes('steady | steady got SIGTERM'), r.out.join('\n'));
  });

  test("policy mode: an app errored by tend's own stops (ready_timeout) ends the runtime with 1 and the reason, not 143", async () => {
    const r = await runRuntimeToEnd([fx('runtime-errored-ready.config.cjs'), ...OFF]);
    assert.equal(r.code, 1, r.err.join('\n'));
    assert.match(
      r.err.join('\n'),
      /a \[0\] is errored \(ready_timeout \(did not send 'ready'.*\): stopping, exit code 1/,
    );
  });

  test('an app errored ends the runtime with its code; the dependent it blocks is not said to fail "during the shutdown delay" (none was asked)', async () => {
    const r = await runRuntimeToEnd([fx('runtime-blocked.config.cjs'), ...OFF]);
    assert.equal(r.code, 4, r.err.join('\n'));
    assert.ok(
      r.err.some((l) => /db \[0\] is errored .*: stopping, exit code 4$/.test(l)),
      r.err.join('\n'),
    );
    assert.ok(!r.err.some((l) => /shutdown delay/.test(l)), r.err.join('\n'));
  });

  test('--restart policy with one app: it is restarted in place instead of ending the runtime', async () => {
    const r = start([fx('runtime-self-kill.cjs'), ...OFF, '--restart', 'policy', '--', 'SIGTERM']);
    // The restart policy restarts it until max_restarts (16 unstable exits): then errored, 143.
    await r.line('err', /restart/);
    assert.equal(await r.exit, 143, r.err.join('\n'));
    assert.ok(r.err.filter((l) => /started pid/.test(l)).length > 1, r.err.join('\n'));
  });

  test('a start-up failure (not ready within listen_timeout): exit 1 with the reason, not the 130 of the stop signal', async () => {
    const r = await runRuntimeToEnd([fx('runtime-not-ready.config.cjs'), ...OFF]);
    assert.equal(r.code, 1, r.err.join('\n'));
    assert.match(
      r.err.join('\n'),
      /late \[\d+\] ready_timeout: did not send 'ready' .*within listen_timeout \(500 ms\)/,
    );
  });

  test('max_memory_restart with no restart in place (orchestrator mode; policy mode with autorestart off): exit 1 with the reason, never re-run', async () => {
    for (const mode of [[], ['--no-autorestart'], ['--restart', 'policy', '--no-autorestart']]) {
      const r = await runRuntimeToEnd([fx('runtime-memory.config.cjs'), ...OFF, ...mode]);
      const log = `${mode.join(' ')}:\n${r.err.join('\n')}`;
      assert.equal(r.code, 1, log);
      // Why it is not restarted, as the user set it (ninth audit: orchestrator mode said "autorestart off").
      const why =
        mode.length === 0
          ? '--restart orchestrator, the orchestrator restarts the container'
          : 'autorestart off';
      assert.ok(
        r.err.some((l) =>
          new RegExp(
            `hog \\[0\\] memory: memory .* above max_memory_restart 100\\.0 MiB \\(not restarted: ${why}\\): stopping, exit code 1`,
          ).test(l),
        ),
        log,
      );
      assert.equal(r.err.filter((l) => /hog\[0\] started pid/.test(l)).length, 1, log);
    }
  });

  test("max_memory_restart in policy mode with autorestart on: restarted in place (PM2's), the runtime goes on", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-hog-'));
    try {
      const r = start([fx('runtime-memory.config.cjs'), ...OFF, '--restart', 'policy'], {
        HOG_ONCE: join(dir, 'hogged'),
      });
      await r.line('out', /^memory-hog \d+ small$/);
      r.signal('SIGTERM');
      assert.equal(await r.exit, 0, r.err.join('\n'));
      assert.equal(r.err.filter((l) => /hog\[0\] started pid/.test(l)).length, 2, r.err.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a config error: the coded message on stderr, exit 2, no app started', async () => {
    const r = await runRuntimeToEnd([fx('runtime-bad.config.cjs'), ...OFF]);
    assert.equal(r.code, 2);
    assert.match(r.err.join('\n'), /tend-runtime: error: .*max_restarts.*\(TEND_ERR_CONFIG_INVALID\)/);
    assert.ok(!r.err.some((l) => /started pid/.test(l)));
  });

  test('a config file that never finishes loading, or whose exported promise is rejected: exit 2, coded, named', async () => {
    const hang = await runRuntimeToEnd([fx('runtime-hang.config.mjs'), ...OFF]);
    assert.equal(hang.code, 2, hang.err.join('\n'));
    assert.match(
      hang.err.join('\n'),
      /error: .*runtime-hang\.config\.mjs: the file never finished loading: a top-level await or an exported promise that never settles .*\(TEND_ERR_CONFIG_INVALID\)/,
    );
    const rejected = await runRuntimeToEnd([fx('runtime-rejects.config.cjs'), ...OFF]);
    assert.equal(rejected.code, 2, rejected.err.join('\n'));
    assert.match(
      rejected.err.join('\n'),
      /error: .*runtime-rejects\.config\.cjs: the file's exported promise was rejected: the vault said no \(TEND_ERR_CONFIG_INVALID\)/,
    );
    // One that keeps the loop busy meanwhile (a timer of its own): the load bound ends it.
    const busy = await runRuntimeToEnd([fx('runtime-busy-hang.config.mjs'), ...OFF], {
      env: { TEND_CONFIG_LOAD_TIMEOUT_MS: '300' },
    });
    assert.equal(busy.code, 2, busy.err.join('\n'));
    assert.match(
      busy.err.join('\n'),
      /runtime-busy-hang\.config\.mjs: the file did not finish loading within 0\.3 s .*\(TEND_ERR_CONFIG_INVALID\)/,
    );
    // A promise that does settle is waited for: its apps run.
    const later = start([fx('runtime-async.config.cjs'), ...OFF]);
    await later.line('out', /^later up \d+$/);
    later.signal('SIGTERM');
    assert.equal(await later.exit, 0, later.err.join('\n'));
  });

  test('a missing script: TEND_ERR_SCRIPT_NOT_FOUND, exit 2', async () => {
    const r = await runRuntimeToEnd([fx('no-such-app.cjs'), ...OFF]);
    assert.equal(r.code, 2);
    assert.match(r.err.join('\n'), /\(TEND_ERR_SCRIPT_NOT_FOUND\)/);
  });

  test('usage: an unknown flag → TEND_ERR_USAGE (2); --help prints the usage (0); PM2 Plus flags warn', async () => {
    const bad = await runRuntimeToEnd([fx('idle.cjs'), '--bogus']);
    assert.equal(bad.code, 2);
    assert.match(bad.err.join('\n'), /Unknown option '--bogus'.*\(TEND_ERR_USAGE\)/);
    const help = await runRuntimeToEnd(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out.join('\n'), /^usage: tend-runtime/);
    const pm2 = await runRuntimeToEnd([
      fx('exit-code.cjs'),
      ...OFF,
      '--public',
      'k',
      '--secret',
      's',
      '--deep-monitoring',
      '--',
      '0',
    ]);
    assert.equal(pm2.code, 0);
    assert.match(
      pm2.err.join('\n'),
      /--public, --secret, --deep-monitoring: PM2 Plus flags, accepted and ignored/,
    );
  });

  test('a script with --only or --env: warned as ignored, the script runs', async () => {
    const r = await runRuntimeToEnd([fx('exit-code.cjs'), ...OFF, '--only', 'x', '--env', 'prod', '--', '0']);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.match(
      r.err.join('\n'),
      /warning: --only is ignored when running a script \(TEND_ERR_CONFIG_IGNORED\)/,
    );
    assert.match(
      r.err.join('\n'),
      /warning: --env is ignored when running a script .*\(TEND_ERR_CONFIG_IGNORED\)/,
    );
  });

  test('an ecosystem file with arguments after --: warned as ignored, the apps run with their own (ninth audit)', async () => {
    const r = await runRuntimeToEnd([fx('runtime-oneshots.config.cjs'), ...OFF, '--', '--foo', 'bar']);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.match(
      r.err.join('\n'),
      /warning: the arguments after -- are ignored with an ecosystem file \(each app has its own: set args in the file\) \(TEND_ERR_CONFIG_IGNORED\)/,
    );
  });

  test('--no-auto-exit: the runtime stays up once every app has ended; a signal ends it with 0', async () => {
    const r = start([fx('runtime-oneshots.config.cjs'), ...OFF, '--no-auto-exit']);
    // Both completed (their stop reason says so), and the runtime is still there.
    await r.line('err', /^tend-runtime: first\[\d+\] exited \(code 0/);
    await r.line('err', /^tend-runtime: second\[\d+\] exited \(code 0/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
    assert.ok(!r.err.some((l) => /every app has ended/.test(l)));
  });
});
