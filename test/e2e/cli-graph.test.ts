// The built CLI with depends_on: `tend graph` (the tree, --dot, --json), `tend describe`'s dependencies
// block, `tend stop db`'s warning and --cascade, `tend start --no-deps`, and a blocked app failing `tend start`.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const tmp = makeTmpHome();
const home = tmp.home;
const dir = join(home, 'app');
const cli = (...args: string[]) => runCli(args, { home, cwd: dir });
const fixture = (name: string) => JSON.stringify(join(FIXTURES, name));

before(async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'eco.config.cjs'),
    `module.exports = { apps: [
      { name: 'web', script: ${fixture('idle.cjs')}, depends_on: { api: { condition: 'process_healthy', restart: true }, worker: { required: false } } },
      { name: 'api', script: ${fixture('ready.cjs')}, wait_ready: true, depends_on: { db: { condition: 'service_healthy', bind: true }, cache: {} } },
      { name: 'worker', script: ${fixture('idle.cjs')}, depends_on: { db: { condition: 'process_healthy', timeout_seconds: 120 } } },
      { name: 'db', script: ${fixture('ready.cjs')}, wait_ready: true },
      { name: 'cache', script: ${fixture('idle.cjs')} },
      { name: 'metrics', script: ${fixture('idle.cjs')} },
    ] };`,
  );
  writeFileSync(
    join(dir, 'broken.config.cjs'),
    `module.exports = { apps: [
      { name: 'flaky', script: ${fixture('crash.cjs')}, wait_ready: true, max_restarts: 1 },
      { name: 'needs-flaky', script: ${fixture('idle.cjs')}, depends_on: { flaky: { condition: 'process_healthy' } } },
    ] };`,
  );
  assert.equal((await cli('start', 'eco.config.cjs')).code, 0);
});
after(async () => {
  await cli('kill');
  tmp.remove();
});

test('tend graph: each app nothing depends on, with what it needs below it and every state', async () => {
  const r = await cli('graph');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      'web  online, ready 1/1',
      '├── api (healthy, restart)  online, ready 1/1',
      '│   ├── db (healthy, bind)  online, ready 1/1',
      '│   └── cache (started)  online, ready 1/1',
      '└── worker (started, optional)  online, ready 1/1',
      '    └── db (healthy, timeout 120s)  online, ready 1/1',
      'metrics  online, ready 1/1',
      '',
    ].join('\n'),
  );
});

test('tend graph --dot: Graphviz with an edge from each app to what it needs; --json: app.graph', async () => {
  const dot = await cli('graph', '--dot');
  assert.equal(dot.code, 0, dot.stderr);
  assert.match(dot.stdout, /^digraph tend \{\n {2}node \[shape=box\];\n/);
  assert.ok(dot.stdout.includes('  "web" [label="web\\nonline, ready 1/1"];\n'), dot.stdout);
  assert.ok(dot.stdout.includes('  "web" -> "api" [label="healthy, restart"];\n'));
  assert.ok(dot.stdout.includes('  "web" -> "worker" [label="started, optional", style=dashed];\n'));
  assert.ok(dot.stdout.includes('  "api" -> "db" [label="healthy, bind"];\n'));
  assert.equal(dot.stdout.match(/->/g)?.length, 5);
  assert.match(dot.stdout, /\}\n$/);
  const json = JSON.parse((await cli('graph', '--json')).stdout) as { order: string[][] };
  assert.deepEqual(json.order, [['db', 'cache', 'metrics'], ['api', 'worker'], ['web']]);
});

test('tend describe: depends on and dependents', async () => {
  const r = await cli('describe', 'api');
  assert.match(r.stdout, /dependencies\n {2}depends on +db \(healthy, bind\) · cache \(started\)\n/);
  assert.match(r.stdout, / {2}dependents +web\n/);
});

test('tend stop db warns about what keeps running; --cascade stops it first; start --no-deps warns', async () => {
  const stop = await cli('stop', 'db');
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(
    stop.stderr,
    /^warning: stopping db leaves running: web \(needs api\), worker \(needs db\) \(use --cascade to stop dependents first\) \(TEND_ERR_DEPENDENTS_RUNNING\)$/m,
  );
  // api is bound to db: it went down with it.
  assert.match(stop.stdout, /api .*blocked/);
  const alone = await cli('start', 'worker', '--no-deps');
  assert.equal(alone.code, 0, alone.stderr);
  assert.equal(alone.stderr, '', 'worker runs: nothing to start, nothing to warn about');
  const cascade = await cli('stop', 'db', '--cascade');
  assert.equal(cascade.code, 0, cascade.stderr);
  assert.equal(cascade.stderr, '');
  const noDeps = await cli('start', 'worker', '--no-deps');
  assert.match(
    noDeps.stderr,
    /^warning: worker: started without its dependency db, which is not running \(--no-deps\) \(TEND_ERR_DEPENDENCY_DOWN\)$/m,
  );
});

test('tend start: an app blocked by a dependency that errors is an error, exit 1', async () => {
  const r = await cli('start', 'broken.config.cjs');
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /^error: needs-flaky \[\d+\] is blocked: dependency flaky errored \(see "tend describe \d+"\) \(TEND_ERR_DEPENDENCY_FAILED\)$/m,
  );
  assert.match(r.stderr, /^error: flaky \[\d+\] is errored: .* \(TEND_ERR_APP_ERRORED\)$/m);
});
