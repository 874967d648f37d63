// The daemon as `tend startup`'s unit runs it (src/daemon/systemd-notify.ts): in the foreground with
// TEND_SYSTEMD_RESURRECT=1 and a NOTIFY_SOCKET, it restores the saved list, waits for the apps' start
// gates, and only then runs `systemd-notify --ready`. A fake systemd-notify on PATH records its arguments
// and, at READY=1, the process list (`tend jlist`): the app must already be online. SIGTERM (what systemd
// sends, KillMode=mixed) stops the apps and the daemon exits 0. The wait is bounded by the saved list's
// start budget, and what is not ready (or a resurrect that failed) is said in STATUS= and on stderr; the
// daemon asks for more time (EXTEND_TIMEOUT_USEC) than the unit was written with, at start and at stop.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLI, FIXTURES, ROOT, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

// A home of its own for each test; all removed at the end, with any daemon a failed test left.
const homes: { home: string; remove(): void }[] = [];
const daemons: ChildProcess[] = [];
after(() => {
  for (const d of daemons) if (d.exitCode === null && d.signalCode === null) d.kill('SIGKILL');
  for (const h of homes) h.remove();
});
function freshHome(): string {
  const tmp = makeTmpHome();
  homes.push(tmp);
  return tmp.home;
}

/** Resolves once `file` exists (the fake systemd-notify renames it into place when done). */
function appears(file: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const dir = join(file, '..');
    const w = watch(dir, () => {
      if (existsSync(file)) done();
    });
    const timer = setTimeout(() => {
      w.close();
      reject(new Error(`${file} did not appear within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      w.close();
      resolve();
    };
    if (existsSync(file)) done();
  });
}

interface UnderSystemd {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** systemd-notify's argument lists, in order, as recorded so far. */
  calls(): string[];
  callsFile: string;
  /** The READY=1 call and the process list at that moment. */
  ready: Promise<{ line: string; list: { name: string; status: string; pid: number | null }[] }>;
  stderr(): string;
}

/** The daemon as the unit runs it, with a fake systemd-notify that records every call. */
function underSystemd(home: string): UnderSystemd {
  const bin = join(home, 'fakebin');
  mkdirSync(bin, { recursive: true });
  const record = join(bin, 'record');
  const calls = join(bin, 'calls');
  rmSync(record, { force: true });
  writeFileSync(calls, '');
  writeFileSync(
    join(bin, 'systemd-notify'),
    `#!/bin/sh\necho "$* NOTIFY_SOCKET=$NOTIFY_SOCKET" >> "${calls}"\n` +
      `case "$1" in --ready) { echo "$* NOTIFY_SOCKET=$NOTIFY_SOCKET"; "${process.execPath}" "${CLI}" jlist; } > "${record}.tmp"; mv "${record}.tmp" "${record}";; esac\n`,
  );
  chmodSync(join(bin, 'systemd-notify'), 0o755);
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'daemon.cjs')], {
    cwd: home,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      TEND_HOME: home,
      TEND_SYSTEMD_RESURRECT: '1',
      NOTIFY_SOCKET: '@tend-test-notify',
      PATH: `${bin}:${process.env.PATH}`,
    },
  });
  daemons.push(child);
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = appears(record, 30_000).then(() => {
    const [line, ...rest] = readFileSync(record, 'utf8').split('\n');
    return { line: line ?? '', list: JSON.parse(rest.join('\n')) };
  });
  return {
    child,
    exited,
    calls: () => readFileSync(calls, 'utf8').split('\n').filter(Boolean),
    callsFile: calls,
    ready,
    stderr: () => stderr,
  };
}

async function saveApps(home: string, apps: object[]): Promise<void> {
  const eco = join(home, 'eco.json');
  writeFileSync(eco, JSON.stringify({ apps }));
  try {
    for (const args of [['start', eco, '--no-wait'], ['save']]) {
      const r = await runCli(args, { home });
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
  } finally {
    // The daemon `start` ran must be gone, or the next one finds its lock taken and does nothing.
    assert.equal((await runCli(['kill'], { home })).code, 0);
  }
}

/** Resolves once `file`'s text satisfies `ok`, or rejects after `ms` (a safety net). */
function fileSays(file: string, ok: (text: string) => boolean, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!ok(readFileSync(file, 'utf8'))) return;
      clearTimeout(timer);
      w.close();
      resolve();
    };
    const w = watch(file, check);
    const timer = setTimeout(() => {
      w.close();
      reject(
        new Error(`${file} did not say what was expected within ${ms} ms: ${readFileSync(file, 'utf8')}`),
      );
    }, ms);
    check();
  });
}

/** Resolves with the daemon's exit code, or rejects after `ms` (a safety net, not a wait). */
function exitWithin(d: UnderSystemd, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the daemon did not exit within ${ms} ms`)), ms);
  });
  return Promise.race([d.exited, late]).finally(() => clearTimeout(timer));
}

test('READY=1 only after the saved apps are online; SIGTERM stops them and exits 0', async () => {
  const home = freshHome();
  await saveApps(home, [
    {
      name: 'web',
      script: join(FIXTURES, 'ready.cjs'),
      wait_ready: true,
      listen_timeout: 100_000,
      kill_timeout: 100_000,
    },
  ]);
  const d = underSystemd(home);
  const { line, list } = await d.ready;
  assert.match(
    line,
    new RegExp(`^--ready --pid=${d.child.pid} --status=tend daemon ready NOTIFY_SOCKET=@tend-test-notify$`),
  );
  assert.deepEqual(
    list.map((p) => [p.name, p.status]),
    [['web', 'online']],
  );
  const appPid = list[0]?.pid;
  assert.ok(appPid);
  // Before READY=1: the start budget (listen_timeout 100 s + 2 s of slack) and the unit's 15 s margin,
  // past the 90 s the unit has at least (a list saved after `tend startup` may need more than it was given).
  assert.equal(d.calls()[0], 'EXTEND_TIMEOUT_USEC=117000000 NOTIFY_SOCKET=@tend-test-notify');

  d.child.kill('SIGTERM');
  assert.equal(await exitWithin(d, 30_000), 0);
  assert.throws(() => process.kill(appPid, 0), /ESRCH/);
  // At the stop: the apps' kill_timeouts (100 s) and the margin, past the unit's 90 s floor. Sent
  // as the stop begins, by a child that may finish after the daemon.
  await fileSays(
    d.callsFile,
    (t) => t.includes('EXTEND_TIMEOUT_USEC=115000000 NOTIFY_SOCKET=@tend-test-notify\n'),
    10_000,
  );
  assert.match(readFileSync(join(home, 'daemon.log'), 'utf8'), /systemd start: resurrected 1 process\(es\)/);
  assert.equal(d.stderr(), '');
});

test('an app whose readiness probe never passes: READY=1 once its probe has failed its threshold (within the start budget), STATUS= names it', async () => {
  const home = freshHome();
  await saveApps(home, [
    {
      name: 'stuck',
      script: join(FIXTURES, 'idle.cjs'),
      // Its first window: 0.1 + 0.1 × 3 s; the daemon adds 2 s of slack.
      readiness_probe: {
        exec: { command: ['false'] },
        initial_delay_seconds: 0.1,
        period_seconds: 0.1,
        failure_threshold: 3,
      },
    },
  ]);
  const d = underSystemd(home);
  const { line, list } = await d.ready;
  // The resurrect's start settles on the probe's failing verdict (no ready deadline: supervisor.ts), before
  // the start budget (3 s) is spent; either way READY=1 names what is not ready.
  assert.match(line, /--status=started, but not ready: stuck\[0\] launching \(tend ls\)/);
  assert.deepEqual(
    list.map((p) => p.name),
    ['stuck'],
  );
  assert.match(d.stderr(), /^tend: started, but not ready: stuck\[0\] launching \(tend ls\)$/m);
  d.child.kill('SIGTERM');
  assert.equal(await exitWithin(d, 30_000), 0);
});

test('a damaged saved list: READY=1 says the resurrect failed, and so does stderr (the journal)', async () => {
  const home = freshHome();
  writeFileSync(join(home, 'dump.json'), '{"format":2,"apps":[{"spec":{"name":1}}]');
  const d = underSystemd(home);
  const { line, list } = await d.ready;
  assert.match(line, /--status=resurrect failed: .*\(TEND_ERR_DUMP_/);
  assert.deepEqual(list, []);
  assert.match(d.stderr(), /^tend: resurrect failed: /m);
  d.child.kill('SIGTERM');
  assert.equal(await exitWithin(d, 30_000), 0);
});

test('a stop signal while the saved list is restored: no READY=1 (the unit is stopping)', async () => {
  const home = freshHome();
  await saveApps(home, [
    {
      name: 'slow',
      script: join(FIXTURES, 'idle.cjs'),
      // Its first window, 100 s, is past the unit's 90 s floor: the daemon asks for the time first.
      readiness_probe: { exec: { command: ['false'] }, initial_delay_seconds: 100 },
    },
  ]);
  const d = underSystemd(home);
  await fileSays(d.callsFile, (t) => t.startsWith('EXTEND_TIMEOUT_USEC='), 30_000);
  d.child.kill('SIGTERM');
  assert.equal(await exitWithin(d, 30_000), 0);
  assert.ok(!d.calls().some((c) => c.startsWith('--ready')), d.calls().join('\n'));
});
