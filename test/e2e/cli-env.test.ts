// `tend env`, `tend sendSignal`, `--env-file` and `--update-env` as a user types them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { readEnviron } from '../../src/runtime/environ.js';
import { CLI, FIXTURES, ROOT, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const tmp = makeTmpHome();
const home = tmp.home;
const dir = join(home, 'proj');
const cli = (args: string[], env?: Record<string, string>) => runCli(args, { home, cwd: dir, env });

before(async () => {
  mkdirSync(dir);
  assert.equal((await cli(['ping'])).code, 0);
});
after(async () => {
  await cli(['kill']);
  tmp.remove();
});

const lines = (text: string) => text.split('\n').filter(Boolean);

/** The bin run as a user runs it: its sh line first (runCli runs `node bin/tend.js`). */
function asCommand(
  args: string[],
  env: Record<string, string>,
  at = home,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      CLI,
      args,
      { cwd: dir, env: { ...process.env, TEND_HOME: at, NO_COLOR: '1', ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('NODE_EXTRA_CA_CERTS', () => {
  test("the CLI's own Node does not load it (sh moves it aside); the app started gets it as set", async () => {
    // Node warns at start-up about a file it cannot load: the CLI's Node never tries.
    const v = await asCommand(['--version'], { NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') });
    assert.equal(v.code, 0);
    assert.equal(v.stderr, '');
    const pm2 = await new Promise<string>((resolve) =>
      execFile(
        join(ROOT, 'bin', 'tend-pm2.js'),
        ['--version'],
        { env: { ...process.env, TEND_HOME: home, NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') } },
        (_err, _out, stderr) => resolve(stderr),
      ),
    );
    assert.doesNotMatch(pm2, /extra certs/, 'tend-pm2 loaded it');
    const pem = join(dir, 'extra.pem');
    writeFileSync(pem, `${rootCertificates[0]}\n`);
    const r = await asCommand(['start', join(FIXTURES, 'idle.cjs'), '--name', 'ca'], {
      NODE_EXTRA_CA_CERTS: pem,
    });
    assert.equal(r.code, 0, r.stderr);
    const shown = lines((await cli(['env', 'ca'])).stdout);
    assert.ok(shown.includes(`NODE_EXTRA_CA_CERTS=${pem}`), shown.join('\n'));
    assert.ok(!shown.some((l) => l.startsWith('TEND_NODE_EXTRA_CA_CERTS=')));
    assert.equal((await cli(['delete', 'ca'])).code, 0);
  });

  test('the daemon starts without it too, and puts it back for what it starts', async () => {
    const own = makeTmpHome();
    try {
      const pem = join(dir, 'extra.pem');
      writeFileSync(pem, `${rootCertificates[0]}\n`);
      const r = await asCommand(
        ['start', join(FIXTURES, 'idle.cjs'), '--name', 'ca2'],
        { NODE_EXTRA_CA_CERTS: pem },
        own.home,
      );
      assert.equal(r.code, 0, r.stderr);
      const pid = Number(readFileSync(join(own.home, 'daemon.pid'), 'utf8'));
      const environ = await readEnviron(pid);
      assert.equal(environ?.NODE_EXTRA_CA_CERTS, undefined, 'the daemon started with it');
      assert.equal(environ?.TEND_NODE_EXTRA_CA_CERTS, pem);
      const shown = lines((await runCli(['env', 'ca2'], { home: own.home })).stdout);
      assert.ok(shown.includes(`NODE_EXTRA_CA_CERTS=${pem}`), shown.join('\n'));
    } finally {
      await runCli(['kill'], { home: own.home });
      own.remove();
    }
  });
});

describe('tend env, sendSignal, --env-file, --update-env', () => {
  test('start --env-file; env prints sorted KEY=value lines with secrets masked', async () => {
    writeFileSync(join(dir, '.env'), 'ZED=last\nAPI_TOKEN=t0ps3cret\nMULTI="a\\nb"\n');
    const r = await cli(['start', join(FIXTURES, 'idle.cjs'), '--name', 'web', '--env-file', '.env']);
    assert.equal(r.code, 0, r.stderr);

    const shown = await cli(['env', 'web']);
    assert.equal(shown.code, 0, shown.stderr);
    const out = lines(shown.stdout);
    assert.deepEqual(out, [...out].sort(), 'sorted');
    assert.ok(out.includes('ZED=last'));
    assert.ok(out.includes('API_TOKEN=********'));
    assert.ok(out.includes('MULTI="a\\nb"'), 'a line break is escaped');
    assert.ok(out.includes('TEND_APP_NAME=web'));
    assert.ok(!shown.stdout.includes('t0ps3cret'));
    assert.match(shown.stderr, /value\(s\) masked: API_TOKEN/);

    const secret = await cli(['env', 'web', '--show-secrets']);
    assert.ok(lines(secret.stdout).includes('API_TOKEN=t0ps3cret'));

    const json = JSON.parse((await cli(['env', 'web', '--json'])).stdout);
    assert.equal(json[0].name, 'web');
    assert.equal(json[0].env.ZED, 'last');
    assert.deepEqual(json[0].masked, ['API_TOKEN']);
    await cli(['delete', 'web']);
  });

  test('a malformed or missing env file: one clear line, exit 2, nothing started', async () => {
    writeFileSync(join(dir, 'broken.env'), 'A=1\nB "2"\n');
    const r = await cli(['start', join(FIXTURES, 'idle.cjs'), '--name', 'nope', '--env-file', 'broken.env']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `error: command line: apps[0] (nope).env_file: ${join(dir, 'broken.env')}:2: expected KEY=value, got "B \\"2\\"" (TEND_ERR_CONFIG_INVALID)\n`,
    );
    writeFileSync(
      join(dir, 'missing.config.js'),
      `module.exports = { apps: [{ name: 'nope', script: ${JSON.stringify(join(FIXTURES, 'idle.cjs'))}, env_file: 'gone.env' }] };`,
    );
    const f = await cli(['start', 'missing.config.js']);
    assert.equal(f.code, 2);
    assert.match(
      f.stderr,
      /missing\.config\.js: apps\[0\] \(nope\)\.env_file: cannot read ".*gone\.env": no such file/,
    );
    assert.equal((await cli(['jlist'])).stdout.trim(), '[]');
  });

  test("bin/tend.js run as an executable: a missing --env-file is our error, not Node 20's", async () => {
    // Node 20 scans its whole argv for --env-file and exits 9 on a missing file unless run as `node -- file`.
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        CLI,
        ['start', join(FIXTURES, 'idle.cjs'), '--name', 'nope', '--env-file', 'missing.env'],
        { cwd: dir, env: { ...process.env, TEND_HOME: home, NO_COLOR: '1' } },
        (err, _stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }),
      );
    });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
    assert.match(
      r.stderr,
      /apps\[0\] \(nope\)\.env_file: cannot read ".*missing\.env": no such file \(TEND_ERR_CONFIG_INVALID\)/,
    );
  });

  test('restart <file> --update-env: the edited file env and the shell apply; without it nothing changes', async () => {
    const file = join(dir, 'eco.config.js');
    const write = (value: string) =>
      writeFileSync(
        file,
        `module.exports = { apps: [{ name: 'eco', script: ${JSON.stringify(join(FIXTURES, 'idle.cjs'))}, env: { FROM_FILE: '${value}' } }] };`,
      );
    write('one');
    assert.equal((await cli(['start', 'eco.config.js'], { FROM_SHELL: 'a' })).code, 0);
    const envOf = async () => JSON.parse((await cli(['env', 'eco', '--json'])).stdout)[0].env;
    const first = await envOf();
    assert.deepEqual([first.FROM_FILE, first.FROM_SHELL], ['one', 'a']);

    write('two');
    assert.equal((await cli(['restart', 'eco.config.js'], { FROM_SHELL: 'b' })).code, 0);
    const plain = await envOf();
    assert.deepEqual([plain.FROM_FILE, plain.FROM_SHELL], ['one', 'a'], 'a plain restart keeps the env');

    const r = await cli(['restart', 'eco.config.js', '--update-env'], { FROM_SHELL: 'c' });
    assert.equal(r.code, 0, r.stderr);
    const updated = await envOf();
    assert.deepEqual([updated.FROM_FILE, updated.FROM_SHELL], ['two', 'c']);

    const byName = await cli(['restart', 'eco', '--update-env'], { FROM_SHELL: 'd' });
    assert.equal(byName.code, 0, byName.stderr);
    assert.equal((await envOf()).FROM_SHELL, 'd');
    await cli(['delete', 'eco']);
  });

  test('sendSignal: every instance, SIGUSR2 or USR2; a bad signal is a usage error', async () => {
    const sigDir = join(home, 'sig');
    mkdirSync(sigDir);
    const r = await cli([
      'start',
      join(FIXTURES, 'signal-log.cjs'),
      '--name',
      'sig',
      '-i',
      '2',
      '--exec-mode',
      'fork',
      '--wait-ready',
      '--',
      sigDir,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = await cli(['sendSignal', 'USR2', 'sig']);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /^sent SIGUSR2 to sig \[\d+\] \(pid \d+\), sig \[\d+\] \(pid \d+\)\n$/);
    const both = await cli(['env', 'sig']);
    assert.equal(both.stdout.match(/^# sig \[\d+\] pid \d+$/gm)?.length, 2, 'a header per process');
    assert.equal(both.stdout.match(/^NODE_APP_INSTANCE=[01]$/gm)?.length, 2);
    const bad = await cli(['sendSignal', 'SIGFOO', 'sig']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: invalid signal "SIGFOO": .* \(TEND_ERR_INVALID_SIGNAL\)\n$/);
    const missing = await cli(['sendSignal', 'USR2', 'ghost']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no process matches "ghost" \(TEND_ERR_TARGET_NOT_FOUND\)/);
    await cli(['delete', 'sig']);
  });
});
