import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { connect } from '../../src/client/client.js';
import { homePaths } from '../../src/protocol/home.js';
import { CLI, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const homes: { remove(): void; home: string }[] = [];
after(async () => {
  for (const h of homes) {
    // Each test's daemon is killed by its test; this is the safety net (by pid file only).
    const pidFile = homePaths(h.home).pidFile;
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      } catch {}
    }
    h.remove();
  }
});

function home() {
  const h = makeTmpHome();
  homes.push(h);
  return h.home;
}

describe('daemon lifecycle', () => {
  test('a daemon started by a CLI that a managed app runs does not take on the app identity', async () => {
    const h = home();
    const env = {
      TEND_ID: '7',
      TEND_SPAWN_ID: 'a1b2c3',
      TEND_INSTANCE: '0',
      TEND_APP_NAME: 'hook',
      NODE_APP_INSTANCE: '0',
      pm_id: '7',
    };
    const r = await runCli(['ping'], { home: h, env });
    assert.equal(r.code, 0, r.stderr);
    const pid = Number(readFileSync(homePaths(h).pidFile, 'utf8'));
    const environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    assert.ok(environ.includes(`TEND_HOME=${h}`));
    for (const name of Object.keys(env))
      assert.equal(
        environ.find((e) => e.startsWith(`${name}=`)),
        undefined,
        name,
      );
    assert.equal((await runCli(['kill'], { home: h })).code, 0);
  });

  test('the first command spawns a daemon with a private home, socket, pid file and log', async () => {
    const h = home();
    const r = await runCli(['ping'], { home: h });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pong: daemon .* pid (\d+)/);
    const p = homePaths(h);
    assert.equal(statSync(p.home).mode & 0o777, 0o700);
    assert.equal(statSync(p.socket).mode & 0o777, 0o600);
    assert.ok(statSync(p.socket).isSocket());
    const pid = Number(readFileSync(p.pidFile, 'utf8'));
    assert.equal(r.stdout.match(/pid (\d+)/)?.[1], String(pid));
    assert.match(readFileSync(p.daemonLog, 'utf8'), /daemon ready on/);
    const k = await runCli(['kill'], { home: h });
    assert.equal(k.code, 0, k.stderr);
    assert.equal(existsSync(p.socket), false);
    assert.equal(existsSync(p.pidFile), false);
  });

  test('20 commands at once against a home with no daemon: exactly one daemon, every command served', async () => {
    const h = home();
    const results = await Promise.all(Array.from({ length: 20 }, () => runCli(['ping'], { home: h })));
    const pids = new Set<string>();
    for (const r of results) {
      assert.equal(r.code, 0, r.stderr);
      pids.add(r.stdout.match(/pid (\d+)/)?.[1] ?? '?');
    }
    assert.equal(pids.size, 1, `daemons: ${[...pids].join(', ')}`);
    const [pid] = [...pids];
    assert.equal(readFileSync(homePaths(h).pidFile, 'utf8').trim(), pid);
    // Only one daemon ever served: every other spawned daemon said "busy" and exited.
    const log = readFileSync(homePaths(h).daemonLog, 'utf8');
    assert.equal(log.match(/daemon ready on/g)?.length, 1);
    await runCli(['kill'], { home: h });
  });

  test('a daemon killed with -9 leaves a stale socket and pid file; the next command cleans up and starts fresh', async () => {
    const h = home();
    const c1 = await connect({ home: h });
    const first = await c1.daemon();
    // The daemon is not our child; its death is observed as the kernel closing our connection to it.
    process.kill(first.pid, 'SIGKILL');
    await c1.closed;
    const p = homePaths(h);
    assert.ok(existsSync(p.socket), 'stale socket left behind');
    assert.ok(existsSync(p.pidFile), 'stale pid file left behind');
    const c2 = await connect({ home: h });
    const second = await c2.daemon();
    assert.notEqual(second.pid, first.pid);
    assert.equal(readFileSync(p.pidFile, 'utf8').trim(), String(second.pid));
    await c2.call('daemon.kill');
    await c2.close();
  });

  test('a stale socket file that is not a socket at all is replaced', async () => {
    const h = home();
    const p = homePaths(h);
    writeFileSync(p.socket, 'junk');
    writeFileSync(p.pidFile, '999999\n');
    const c = await connect({ home: h });
    const d = await c.daemon();
    assert.equal(readFileSync(p.pidFile, 'utf8').trim(), String(d.pid));
    await c.call('daemon.kill');
    await c.close();
  });

  test('without spawn, an absent daemon is a clear error', async () => {
    const h = home();
    await assert.rejects(connect({ home: h, spawn: false }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'TEND_ERR_DAEMON_UNREACHABLE');
      return true;
    });
    const r = await runCli(['kill'], { home: h });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /not running/);
  });

  test('the CLI entry runs from any directory', async () => {
    const h = home();
    const r = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [CLI, '--version'],
        { cwd: '/', env: { ...process.env, TEND_HOME: h } },
        (e, out) => (e ? reject(e) : resolve(out)),
      ),
    );
    assert.match(r, /^\d+\.\d+\.\d+/);
  });
});
