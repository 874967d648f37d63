// Seventh audit, finding 10 (control socket): over tend-runtime's control socket `tend delete` of its only app
// ended the runtime before the reply (TEND_ERR_CONNECTION_CLOSED, exit 3), `tend update` was refused as
// "tend save", and `tend describe` printed `--password=hunter3` (and, with --json, every env value) that the
// runtime's own start line masks. The daemon's `tend describe` had the same leak: both are checked here.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { startRuntime } from '../helpers/runtime.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const SECRETS = /hunter3|admin:pw|hunter4|p4ss/;
const daemonHome = makeTmpHome();
const appDir = makeTmpHome();
after(async () => {
  await runCli(['kill'], { home: daemonHome.home });
  daemonHome.remove();
  appDir.remove();
});

const config = join(appDir.home, 'secret.config.cjs');
writeFileSync(
  config,
  `module.exports = { apps: [{ name: 'app', script: ${JSON.stringify(join(FIXTURES, 'idle.cjs'))},
    args: ['--password=hunter3', '-u', 'admin:pw', '--port', '3000'],
    env: { DB_PASSWORD: 'hunter4', DATABASE_URL: 'postgres://u:p4ss@db/x', PLAIN: 'visible-with-show-secrets' } }] };\n`,
);

/** describe as text and JSON: masked by default; --show-secrets shows them. */
async function checkDescribe(home: string): Promise<void> {
  const text = await runCli(['describe', 'app'], { home });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /args +\["\*\*\*\*\*\*\*\*","-u","\*\*\*\*\*\*\*\*","--port","3000"\]/);
  assert.doesNotMatch(text.stdout, SECRETS);
  const json = await runCli(['describe', 'app', '--json'], { home });
  assert.equal(json.code, 0, json.stderr);
  assert.doesNotMatch(json.stdout, SECRETS);
  const [d] = JSON.parse(json.stdout) as { config: { env: Record<string, string> } }[];
  // As `tend env`: the secret-looking values masked, the others shown (a script's `jq .config.env.PORT`).
  assert.equal(d?.config.env.DB_PASSWORD, '********');
  assert.equal(d?.config.env.DATABASE_URL, '********');
  assert.equal(d?.config.env.PLAIN, 'visible-with-show-secrets', 'a plain value is shown');
  const shown = await runCli(['describe', 'app', '--json', '--show-secrets'], { home });
  assert.match(shown.stdout, /--password=hunter3/);
  assert.match(shown.stdout, /hunter4/);
}

test('tend-runtime control socket: delete and update refused with the fix, the runtime still up; describe masked', async () => {
  const r = startRuntime([config, '--health-listen', 'off'], { cwd: appDir.home });
  try {
    await r.line('err', /control socket on /);
    await r.line('err', /every app is ready/);
    assert.doesNotMatch(r.err.join('\n'), SECRETS, "the runtime's own lines mask them too");
    await checkDescribe(r.home);

    const del = await runCli(['delete', 'app'], { home: r.home });
    assert.equal(del.code, 2, del.stderr);
    assert.match(
      del.stderr,
      /tend delete is not available in tend-runtime .*"tend stop app" stops it .*\(TEND_ERR_USAGE\)/,
    );
    const update = await runCli(['update'], { home: r.home });
    assert.equal(update.code, 2, update.stderr);
    assert.match(update.stderr, /^error: tend update is not available in tend-runtime .*\(TEND_ERR_USAGE\)/m);
    assert.doesNotMatch(update.stderr, /tend save/);
    // Refused before anything was done: the app still runs under the same runtime.
    const list = await runCli(['jlist'], { home: r.home });
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { name: string; status: string }[]).map((p) => [p.name, p.status]),
      [['app', 'online']],
    );
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
  } finally {
    await r.kill();
  }
});

test("the daemon's tend describe masks the same way (text and --json)", async () => {
  const home = daemonHome.home;
  const started = await runCli(['start', config], { home, cwd: appDir.home });
  assert.equal(started.code, 0, started.stderr);
  await checkDescribe(home);
});
