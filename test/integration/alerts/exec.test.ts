// Exec hooks with real processes: the alert reaches the command in TEND_* variables (run by /bin/sh -c in
// the app's cwd), a failing command is logged with its code and counted, and a command that outlives its
// timeout is killed with its whole process group. Waits are on delivery reports.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import type { ExecHook } from '../../../src/config/spec.js';
import { isProcessGone, waitGone } from '../../helpers/wait-gone.js';
import { type Rig, rig, STDERR } from './support.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tend-alerts-exec-')));
after(() => rmSync(dir, { recursive: true, force: true }));

const execHook = (command: string, over: Partial<ExecHook> = {}): ExecHook => ({
  command,
  events: ['crash', 'errored', 'unhealthy', 'reload_failed'],
  timeout_ms: 10_000,
  max_per_minute: 10,
  ...over,
});

let r: Rig | null = null;
afterEach(async () => {
  await r?.close();
  r = null;
});

describe('exec hooks', () => {
  test('the command gets the alert in TEND_* variables and runs in the app’s cwd', async () => {
    r = rig();
    const command = 'env | grep ^TEND_ | sort > hook-env.txt; pwd > hook-pwd.txt; echo said hello';
    await r.start({ name: 'api', cwd: dir, notify: { webhook: [], exec: [execHook(command)] } });
    r.spawner.last.exit(4);
    const sent = await r.until((x) => x.kind === 'exec' && x.outcome !== 'suppressed', 'the hook ran');
    assert.equal(sent.outcome, 'sent', sent.detail);
    const env = Object.fromEntries(
      readFileSync(join(dir, 'hook-env.txt'), 'utf8')
        .trim()
        .split('\n')
        .filter((l) => /^TEND_[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.equal(env.TEND_EVENT, 'crash');
    assert.equal(env.TEND_APP, 'api');
    assert.equal(env.TEND_NAMESPACE, 'default');
    assert.equal(env.TEND_INSTANCE_ID, '0');
    assert.equal(env.TEND_EXIT_CODE, '4');
    assert.equal(env.TEND_SIGNAL, '');
    assert.match(env.TEND_REASON ?? '', /^exited with code 4 after \d+ ms$/);
    assert.equal(env.TEND_HOST, 'test-host');
    assert.equal(env.TEND_AT, new Date(r.clock.now()).toISOString());
    // TEND_STDERR holds newlines: the first line is on the TEND_STDERR= line.
    assert.equal(env.TEND_STDERR, STDERR[0]);
    assert.equal(readFileSync(join(dir, 'hook-pwd.txt'), 'utf8').trim(), dir);
    assert.ok(
      r.log.some((l) => /exec hook "env…" api\[0\] crash: exit code 0; output: said hello/.test(l)),
      r.log.join('\n'),
    );
    assert.deepEqual(r.alerts.stats(), [{ app: 'api', kind: 'exec', sent: 1, failed: 0, suppressed: 0 }]);
  });

  test('a failing command is logged with its code and counted', async () => {
    r = rig();
    await r.start({
      name: 'api',
      cwd: dir,
      notify: { webhook: [], exec: [execHook('echo nope >&2; exit 3')] },
    });
    r.spawner.last.exit(1);
    const failed = await r.until((x) => x.kind === 'exec' && x.outcome === 'failed', 'failed');
    assert.equal(failed.detail, 'exit code 3: nope');
    assert.ok(
      r.log.some((l) =>
        l.includes(
          'notify: exec hook "echo…" for api[0] (crash) failed: exit code 3: nope (TEND_ERR_NOTIFY_FAILED)',
        ),
      ),
      r.log.join('\n'),
    );
    assert.deepEqual(r.alerts.stats(), [{ app: 'api', kind: 'exec', sent: 0, failed: 1, suppressed: 0 }]);
  });

  test('at its timeout the command is killed with its process group; supervision went on meanwhile', async () => {
    r = rig();
    const pidFile = join(dir, 'bg.pid');
    const command = `sleep 60 & echo $! > ${pidFile}; sleep 60`;
    await r.start({
      name: 'api',
      cwd: dir,
      notify: { webhook: [], exec: [execHook(command, { timeout_ms: 1000 })] },
    });
    const first = r.spawner.last;
    first.exit(1);
    r.clock.advance(0);
    assert.notEqual(r.spawner.last, first, 'restarted while the hook runs');
    const failed = await r.until((x) => x.kind === 'exec' && x.outcome === 'failed', 'killed');
    assert.equal(failed.detail, 'timeout after 1000 ms');
    const bg = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(bg > 1);
    // The background sleep was in the hook's group: killed with it (it is an orphan: no exit event to wait on).
    await waitGone(bg, { timeoutMs: 5000, what: 'the hook’s background sleep' });
    assert.ok(isProcessGone(bg));
  });

  test('the events filter applies to exec hooks too', async () => {
    r = rig();
    const hook = execHook('echo ran', { events: ['errored'] });
    await r.start({ name: 'api', cwd: dir, max_restarts: 1, notify: { webhook: [], exec: [hook] } });
    r.spawner.last.exit(1); // crash, restart: not for this hook
    r.clock.advance(0);
    r.spawner.last.exit(1); // crash, errored
    const ran = await r.until((x) => x.kind === 'exec', 'the hook ran');
    assert.equal(ran.event, 'errored');
    await r.alerts.idle();
    assert.equal(r.reports.filter((x) => x.kind === 'exec').length, 1);
  });
});
