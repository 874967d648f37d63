// The daemon as `tend startup`'s unit runs it (src/daemon/systemd-notify.ts): in the foreground with
// TEND_SYSTEMD_RESURRECT=1 and a NOTIFY_SOCKET, it restores the saved list, waits for the apps' start
// gates, and only then runs `systemd-notify --ready`. A fake systemd-notify on PATH records its arguments
// and, at that moment, the process list (`tend jlist`): the app must already be online. SIGTERM (what
// systemd sends, KillMode=mixed) stops the apps and the daemon exits 0.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLI, FIXTURES, ROOT, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const tmp = makeTmpHome();
const home = tmp.home;
let daemon: ChildProcess | null = null;
after(() => {
  if (daemon?.exitCode === null) daemon.kill('SIGKILL');
  tmp.remove();
});

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

test('READY=1 only after the saved apps are online; SIGTERM stops them and exits 0', async () => {
  const eco = join(home, 'eco.json');
  writeFileSync(
    eco,
    JSON.stringify({ apps: [{ name: 'web', script: join(FIXTURES, 'ready.cjs'), wait_ready: true }] }),
  );
  for (const args of [['start', eco], ['save'], ['kill']]) {
    const r = await runCli(args, { home });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
  const bin = join(home, 'fakebin');
  mkdirSync(bin);
  const record = join(bin, 'record');
  writeFileSync(
    join(bin, 'systemd-notify'),
    `#!/bin/sh\n{ echo "$* NOTIFY_SOCKET=$NOTIFY_SOCKET"; "${process.execPath}" "${CLI}" jlist; } > "${record}.tmp"\nmv "${record}.tmp" "${record}"\n`,
  );
  chmodSync(join(bin, 'systemd-notify'), 0o755);

  const child = spawn(process.execPath, [join(ROOT, 'dist', 'daemon.cjs')], {
    cwd: home,
    stdio: 'ignore',
    env: {
      ...process.env,
      TEND_HOME: home,
      TEND_SYSTEMD_RESURRECT: '1',
      NOTIFY_SOCKET: '@tend-test-notify',
      PATH: `${bin}:${process.env.PATH}`,
    },
  });
  daemon = child;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await appears(record, 30_000);
  const [line, ...rest] = readFileSync(record, 'utf8').split('\n');
  assert.match(
    line ?? '',
    new RegExp(`^--ready --pid=${child.pid} --status=.* NOTIFY_SOCKET=@tend-test-notify$`),
  );
  const list = JSON.parse(rest.join('\n')) as { name: string; status: string; pid: number | null }[];
  assert.deepEqual(
    list.map((p) => [p.name, p.status]),
    [['web', 'online']],
  );
  const appPid = list[0]?.pid;
  assert.ok(appPid);

  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.throws(() => process.kill(appPid, 0), /ESRCH/);
  assert.match(readFileSync(join(home, 'daemon.log'), 'utf8'), /systemd start: resurrected 1 process\(es\)/);
});
