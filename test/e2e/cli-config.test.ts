// Config through the built CLI: `tend schema`, flags over a file's fields (no false notes), every problem
// of a file in one run with its code and the app's name, warnings with their codes, and an app whose log
// file cannot be opened: errored, with a coded error line, while the others run.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, ROOT, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const tmp = makeTmpHome();
const home = tmp.home;
const dir = join(home, 'app');
const cli = (args: string[]) => runCli(args, { home, cwd: dir });
const jlist = async () => JSON.parse((await cli(['jlist'])).stdout) as Record<string, unknown>[];
const idle = join(FIXTURES, 'idle.cjs');
const writeJson = (name: string, content: unknown) => writeFileSync(join(dir, name), JSON.stringify(content));

before(async () => {
  mkdirSync(dir, { recursive: true });
  assert.equal((await cli(['ping'])).code, 0);
});
after(async () => {
  await cli(['kill']);
  tmp.remove();
});

test('tend schema prints the shipped JSON Schema; the CLI bundles carry no zod, `tend list` no registry', async () => {
  const r = await cli(['schema']);
  assert.equal(r.code, 0, r.stderr);
  const shipped = JSON.parse(readFileSync(join(ROOT, 'schema', 'ecosystem.schema.json'), 'utf8'));
  assert.deepEqual(JSON.parse(r.stdout), shipped);
  const help = await cli(['schema', '--help']);
  assert.match(help.stdout, /yaml-language-server: \$schema=/);
  const sources = (bundle: string) =>
    (JSON.parse(readFileSync(join(ROOT, 'dist', `${bundle}.map`), 'utf8')) as { sources: string[] }).sources;
  assert.ok(
    sources('cli-program.cjs').some((s) => s.includes('config/registry/')),
    'the registry is bundled',
  );
  assert.deepEqual(
    sources('cli-program.cjs').filter((s) => s.includes('node_modules/zod')),
    [],
  );
  assert.deepEqual(
    sources('cli.cjs').filter((s) => /node_modules\/zod|config\/registry\//.test(s)),
    [],
  );
});

test('-o over a file\'s "out": the flag wins, with no note about "out"', async () => {
  writeJson('out.json', { apps: [{ name: 'outy', script: idle, out: 'file.log' }] });
  const r = await cli(['start', 'out.json', '-o', 'flag.log']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /out|given too/, r.stderr);
  const [p] = await jlist();
  assert.equal(p?.out_log, join(dir, 'flag.log'));
  assert.equal((await cli(['delete', 'outy'])).code, 0);
});

test('a file with six bad fields in two apps: all six at once, named by app, with the code', async () => {
  writeJson('bad.json', {
    apps: [
      { name: 'api', script: idle, max_restarts: -1, cron_restart: '61 * * * *', watch: ['nope'] },
      { name: 'worker', script: idle, kill_timeout: '10 seconds', env_file: 'missing.env', instances: -999 },
    ],
  });
  const r = await cli(['start', 'bad.json']);
  assert.equal(r.code, 2);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 6, r.stderr);
  assert.match(lines[0] ?? '', /^error: .*bad\.json: apps\[0\] \(api\)\.max_restarts: /);
  for (const [i, at] of [
    'apps[0] (api).cron_restart:',
    'apps[1] (worker).kill_timeout:',
    'apps[0] (api).watch:',
    'apps[1] (worker).env_file:',
    'apps[1] (worker).instances:',
  ].entries())
    assert.ok(lines[i + 1]?.startsWith(at), `line ${i + 2}: ${lines[i + 1]}`);
  assert.match(r.stderr, /\(TEND_ERR_CONFIG_INVALID\)\n$/);
  assert.deepEqual(await jlist(), []);
});

test('config warnings carry their code and name the app', async () => {
  writeJson('notes.json', { apps: [{ name: 'noted', script: idle, max_restart: 3, pid_file: 'x.pid' }] });
  const r = await cli(['start', 'notes.json', '--name', 'ignored', '--', '--port', '1']);
  assert.equal(r.code, 0, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
  assert.deepEqual(warnings, [
    'warning: --name is ignored with an ecosystem file (each app has its own name) (TEND_ERR_CONFIG_IGNORED)',
    'warning: the arguments after -- are ignored with an ecosystem file (each app has its own: set args in the file) (TEND_ERR_CONFIG_IGNORED)',
    'warning: apps[0] (noted): unknown field "max_restart" ignored (did you mean "max_restarts"?) (TEND_ERR_CONFIG_IGNORED)',
    'warning: apps[0] (noted): pid_file is accepted and stored; it takes effect in a later tend version (TEND_ERR_CONFIG_STORED)',
  ]);
  assert.equal((await cli(['delete', 'noted'])).code, 0);
});

test('a log file that cannot be opened: that app is errored with a coded line, the other runs', async () => {
  writeJson('logs.json', {
    apps: [
      { name: 'fine', script: idle },
      { name: 'nodir', script: idle, out_file: 'no/such/dir/out.log' },
    ],
  });
  const r = await cli(['start', 'logs.json']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /^error: nodir \[\d+\] is errored: cannot open log file .*no\/such\/dir\/out\.log: .* \(see "tend describe \d+"\) \(TEND_ERR_APP_ERRORED\)$/m,
  );
  const status = Object.fromEntries((await jlist()).map((p) => [p.name, p.status]));
  assert.deepEqual(status, { fine: 'online', nodir: 'errored' });
  assert.equal((await cli(['delete', 'all'])).code, 0);
});

test('a log directory the user cannot write: errored, with a coded line', async (t) => {
  if (process.getuid?.() === 0) {
    t.skip('running as root: every directory is writable (the missing-directory case above runs)');
    return;
  }
  mkdirSync(join(dir, 'ro'));
  chmodSync(join(dir, 'ro'), 0o500);
  writeJson('ro.json', { apps: [{ name: 'rofile', script: idle, out_file: 'ro/out.log' }] });
  const ro = await cli(['start', 'ro.json']);
  chmodSync(join(dir, 'ro'), 0o700);
  assert.match(ro.stderr, /rofile .* cannot open log file .*permission denied.*\(TEND_ERR_APP_ERRORED\)$/m);
  assert.equal((await cli(['delete', 'all'])).code, 0);
});
