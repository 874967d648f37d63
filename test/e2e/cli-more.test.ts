// More of the CLI as a user meets it: flags that shape the command, every ecosystem format, a real PM2
// ecosystem file, the package's programmatic entry, and an unreachable daemon.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FIXTURES, ROOT, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const tmp = makeTmpHome();
const home = tmp.home;
const cli = (args: string[], cwd?: string) => runCli(args, { home, cwd });
const jlist = async () => JSON.parse((await cli(['jlist'])).stdout) as Record<string, unknown>[];

before(async () => {
  assert.equal((await cli(['ping'])).code, 0);
});
after(async () => {
  await cli(['kill']);
  tmp.remove();
});

describe('tend CLI: flags, formats and entry points', () => {
  test('--cwd and --node-args reach the process; the CLI environment is inherited', async () => {
    const out = join(home, 'flags.json');
    const r = await runCli(
      [
        'start',
        join(FIXTURES, 'env-dump.cjs'),
        '--name',
        'flags',
        '--cwd',
        home,
        '--node-args',
        '--max-old-space-size=64 --no-warnings',
        '--wait-ready',
        '--',
        out,
      ],
      { home, env: { FROM_SHELL: 'yes' } },
    );
    assert.equal(r.code, 0, r.stderr);
    const seen = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(seen.cwd, home);
    assert.equal(seen.env.FROM_SHELL, 'yes');
    const [p] = (await jlist()).filter((x) => x.name === 'flags');
    assert.deepEqual(p?.interpreter_args, ['--max-old-space-size=64', '--no-warnings']);
    await cli(['delete', 'flags']);
  });

  test('--interpreter python3 runs a Python script', async () => {
    const r = await cli(['start', join(FIXTURES, 'hello.py'), '--name', 'snake', '--interpreter', 'python3']);
    assert.equal(r.code, 0, r.stderr);
    const [p] = (await jlist()).filter((x) => x.name === 'snake');
    assert.equal(p?.status, 'online');
    assert.equal(p?.interpreter, 'python3');
    await cli(['delete', 'snake']);
  });

  test('a command on PATH, with arguments after --', async () => {
    const r = await cli(['start', 'sleep', '--name', 'sleeper', '--', '1000']);
    assert.equal(r.code, 0, r.stderr);
    const [p] = (await jlist()).filter((x) => x.name === 'sleeper');
    assert.match(String(p?.script), /\/sleep$/);
    assert.deepEqual(p?.args, ['1000']);
    assert.equal(p?.interpreter, null);
    await cli(['delete', 'sleeper']);
  });

  test('.config.cjs and .config.mjs ecosystem files', async () => {
    const dir = join(home, 'formats');
    mkdirSync(dir, { recursive: true });
    const script = join(FIXTURES, 'idle.cjs');
    writeFileSync(
      join(dir, 'a.config.cjs'),
      `module.exports = { apps: [{ name: 'cjs-app', script: ${JSON.stringify(script)} }] };`,
    );
    writeFileSync(
      join(dir, 'b.config.mjs'),
      `export default { apps: [{ name: 'mjs-app', script: ${JSON.stringify(script)} }] };`,
    );
    for (const f of ['a.config.cjs', 'b.config.mjs']) {
      const r = await cli(['start', f], dir);
      assert.equal(r.code, 0, `${f}: ${r.stderr}`);
    }
    const names = (await jlist()).map((x) => x.name);
    assert.ok(names.includes('cjs-app') && names.includes('mjs-app'));
    await cli(['delete', 'cjs-app', 'mjs-app']);
  });

  test('an existing PM2 ecosystem file starts unchanged; fields for later versions are stored and noted', async () => {
    const dir = join(home, 'pm2');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
    writeFileSync(join(dir, 'server.js'), readFileSync(join(FIXTURES, 'idle.cjs')));
    writeFileSync(
      join(dir, 'ecosystem.config.js'),
      `module.exports = {
  apps: [{
    name: 'pm2-api',
    script: './server.js',
    instances: 2,
    exec_mode: 'fork',
    watch: false,
    ignore_watch: ['node_modules'],
    max_memory_restart: '300M',
    cron_restart: '0 3 * * *',
    log_date_format: 'YYYY-MM-DD HH:mm Z',
    merge_logs: true,
    time: true,
    autorestart: true,
    max_restarts: 10,
    min_uptime: '10s',
    restart_delay: 4000,
    kill_timeout: 3000,
    listen_timeout: 8000,
    source_map_support: true,
    instance_var: 'INSTANCE_ID',
    env: { NODE_ENV: 'development' },
    env_production: { NODE_ENV: 'production' },
  }],
  deploy: { production: { user: 'node', host: '212.83.163.1', ref: 'origin/master', repo: 'git@github.com:repo.git', path: '/var/www/production' } },
};`,
    );
    const r = await cli(['start', 'ecosystem.config.js', '--env', 'production'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /source_map_support is accepted and stored/);
    assert.doesNotMatch(r.stderr, /max_memory_restart|cron_restart|watch/, 'restart triggers are acted on');
    const ps = (await jlist()).filter((x) => x.name === 'pm2-api');
    assert.equal(ps.length, 2);
    assert.ok(ps.every((p) => p.status === 'online' && !p.watching && p.next_cron_at !== null));
    const d = await cli(['describe', 'pm2-api']);
    // instance_var is acted on (issue 17): in the configuration, not with the stored fields.
    assert.doesNotMatch(d.stdout, /stored for later versions[\s\S]*instance_var/);
    const [detail] = JSON.parse((await cli(['describe', 'pm2-api', '--json'])).stdout);
    assert.equal(detail.config.instance_var, 'INSTANCE_ID');
    assert.match(d.stdout, /min_uptime +10000/);
    await cli(['delete', 'pm2-api']);
  });

  test('flags override an ecosystem file; --name and --cwd are ignored there, with a warning', async () => {
    const dir = join(home, 'override');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'o.config.cjs'),
      `module.exports = { apps: [{ name: 'ovr', script: ${JSON.stringify(join(FIXTURES, 'idle.cjs'))}, node_args: '--max-old-space-size=100', max_restarts: 2 }] };`,
    );
    const r = await cli(
      ['start', 'o.config.cjs', '--node-args', '--no-warnings', '--max-restarts', '7', '--name', 'x'],
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /--name is ignored with an ecosystem file/);
    const [p] = (await jlist()).filter((x) => x.name === 'ovr');
    assert.deepEqual(p?.interpreter_args, ['--no-warnings']);
    assert.match((await cli(['describe', 'ovr'])).stdout, /max_restarts +7/);
    await cli(['delete', 'ovr']);
  });

  test("the package's programmatic entry: import { connect } from 'tend'", async () => {
    const code = `import { connect } from 'tend';
const c = await connect({ home: ${JSON.stringify(home)}, spawn: false });
const { processes } = await c.call('process.list');
const d = await c.daemon();
console.log(JSON.stringify({ n: processes.length, pid: d.pid }));
await c.close();`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT }, (e, stdout, stderr) =>
        e ? reject(new Error(stderr)) : resolve(stdout),
      ),
    );
    const parsed = JSON.parse(out);
    assert.equal(typeof parsed.pid, 'number');
    assert.equal(typeof parsed.n, 'number');
  });

  test('an unusable home is a clear error naming it', async () => {
    const r = await runCli(['ls'], { home: '/dev/null/tend' });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^error: .*\/dev\/null is not a directory .*\(TEND_ERR_HOME_UNWRITABLE\)$/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
