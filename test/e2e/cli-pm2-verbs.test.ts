// PM2's verbs in `tend` itself, through the built CLI as a deploy script uses them: pid, id, reset,
// startOrRestart / startOrReload, ls --sort, logs --timestamp, init, command strings, directories, the
// TypeScript hint.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stripsTypes } from '../../src/config/typescript-hint.js';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { shapeProblems } from '../helpers/pm2-shape.js';
import { makeTmpHome } from '../helpers/tmp-home.js';
import { waitGone } from '../helpers/wait-gone.js';

const tmp = makeTmpHome();
const home = tmp.home;
const cli = (args: string[], cwd?: string) => runCli(args, { home, cwd });
type Row = {
  id: number;
  name: string;
  pid: number | null;
  status: string;
  restarts: number;
  args: string[];
  script: string;
  cwd: string;
};
const jlist = async () => JSON.parse((await cli(['jlist'])).stdout) as Row[];
const idle = join(FIXTURES, 'idle.cjs');

before(async () => {
  assert.equal((await cli(['ping'])).code, 0);
});
after(async () => {
  await cli(['kill']);
  tmp.remove();
});

describe('PM2 verbs in tend', () => {
  test('pid and id print one a line; an unknown name fails with its code', async () => {
    const empty = await cli(['pid']);
    assert.deepEqual([empty.code, empty.stdout], [0, ''], empty.stderr);
    assert.equal((await cli(['start', idle, '--name', 'twins', '-i', '2', '--exec-mode', 'fork'])).code, 0);
    const rows = (await jlist()).filter((p) => p.name === 'twins');
    const pid = await cli(['pid', 'twins']);
    assert.equal(pid.code, 0, pid.stderr);
    assert.deepEqual(
      pid.stdout.trim().split('\n').map(Number),
      rows.map((p) => p.pid),
    );
    const id = await cli(['id', 'twins']);
    assert.equal(id.stdout, `${rows.map((p) => p.id).join('\n')}\n`);
    const missing = await cli(['pid', 'nope']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /TEND_ERR_TARGET_NOT_FOUND/);
    // A stopped process has no pid: nothing is printed for it (PM2's 0 would be `kill 0`).
    await cli(['stop', String(rows[1]!.id)]);
    assert.equal((await cli(['pid', 'twins'])).stdout, `${rows[0]!.pid}\n`);
  });

  test('reset zeroes the restart counter; the process keeps running', async () => {
    await cli(['restart', 'twins']);
    await cli(['restart', 'twins']);
    const before = (await jlist()).filter((p) => p.name === 'twins');
    assert.ok(
      before.every((p) => p.restarts >= 1),
      JSON.stringify(before),
    );
    const r = await cli(['reset', 'twins']);
    assert.equal(r.code, 0, r.stderr);
    const afterReset = (await jlist()).filter((p) => p.name === 'twins');
    assert.deepEqual(
      afterReset.map((p) => [p.restarts, p.pid, p.status]),
      before.map((p) => [0, p.pid, p.status]),
    );
    // The zeroed counts are saved before reset answers: a daemon killed right after ends the processes it
    // left and starts them again with the saved counts, 0 (they were 2 before reset).
    const daemonPid = Number(readFileSync(join(home, 'daemon.pid'), 'utf8'));
    process.kill(daemonPid, 'SIGKILL');
    await waitGone(daemonPid);
    const recovered = (await jlist()).filter((p) => p.name === 'twins');
    assert.deepEqual(
      recovered.map((p) => [p.id, p.restarts]),
      before.map((p) => [p.id, 0]),
    );
    await cli(['delete', 'twins']);
  });

  test('ls --sort orders the rows; a wrong key is a usage error', async () => {
    for (const name of ['bravo', 'alpha', 'charlie']) await cli(['start', idle, '--name', name]);
    const names = (text: string) =>
      text
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/)[1])
        .filter(Boolean);
    assert.deepEqual(names((await cli(['ls', '--sort', 'name'])).stdout), ['alpha', 'bravo', 'charlie']);
    assert.deepEqual(names((await cli(['ls', '--sort', 'name:desc'])).stdout), ['charlie', 'bravo', 'alpha']);
    const bad = await cli(['ls', '--sort', 'pid']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected name, id, cpu, memory, restarts, uptime.*TEND_ERR_USAGE/);
    await cli(['delete', 'alpha', 'bravo', 'charlie']);
  });

  test('startOrRestart starts a file, then restarts it; startOrReload refuses a non-file', async () => {
    const dir = join(home, 'deploy');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'ecosystem.config.js');
    writeFileSync(
      file,
      `module.exports = { apps: [{ name: 'deploy-a', script: ${JSON.stringify(idle)} }] };`,
    );
    const first = await cli(['startOrRestart', file]);
    assert.equal(first.code, 0, first.stderr);
    const [a] = (await jlist()).filter((p) => p.name === 'deploy-a');
    assert.equal(a?.status, 'online');
    assert.equal(a?.restarts, 0);
    const second = await cli(['startOrReload', file]);
    assert.equal(second.code, 0, second.stderr);
    const [b] = (await jlist()).filter((p) => p.name === 'deploy-a');
    assert.equal(b?.restarts, 1);
    assert.notEqual(b?.pid, a?.pid);
    const wrong = await cli(['startOrGracefulReload', 'deploy-a']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /takes an ecosystem file.*"tend reload deploy-a".*TEND_ERR_USAGE/);
    await cli(['delete', 'deploy-a']);
  });

  test('logs --timestamp prints the time each line was written first', async () => {
    await cli(['start', join(FIXTURES, 'say.cjs'), '--name', 'talker', '--time', '--', 'tt']);
    // Lines are in the file once `logs --nostream` shows them; wait on the file, not the clock.
    let r = await cli(['logs', 'talker', '--out', '--nostream', '--lines', '2', '--timestamp', 'HH:mm:ss']);
    for (let i = 0; i < 50 && !/tt says/.test(r.stdout); i++)
      r = await cli(['logs', 'talker', '--out', '--nostream', '--lines', '2', '--timestamp', 'HH:mm:ss']);
    const lines = r.stdout.split('\n').filter((l) => l.includes('tt says'));
    assert.ok(lines.length > 0, r.stdout);
    for (const l of lines) assert.match(l, /^\d{2}:\d{2}:\d{2} \d+\|talker out \| .*tt says \d+$/);
    const dflt = await cli(['logs', 'talker', '--out', '--nostream', '--lines', '1', '--timestamp']);
    assert.match(dflt.stdout, /^\d{4}-\d{2}-\d{2}-\d{2}:\d{2}:\d{2} \d+\|talker/m);
    await cli(['delete', 'talker']);
  });

  test('init writes a sample that starts unchanged, and never over a file', async () => {
    const dir = join(home, 'init');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.js'), readFileSync(idle));
    const r = await cli(['init'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ecosystem.config.js written/);
    const again = await cli(['init'], dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists.*--force.*TEND_ERR_FILE_EXISTS/);
    const start = await cli(['start', 'ecosystem.config.js'], dir);
    assert.equal(start.code, 0, start.stderr);
    assert.equal(start.stderr, '', 'the sample gives no warning');
    assert.equal((await jlist()).find((p) => p.name === 'app')?.status, 'online');
    await cli(['delete', 'app']);
    assert.equal((await cli(['init', '--yaml'], dir)).code, 0);
    const yaml = await cli(['start', 'ecosystem.config.yaml', '--env', 'production'], dir);
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.equal(yaml.stderr, '');
    await cli(['delete', 'app']);
  });

  test('a command string is split as a shell would; a directory runs its package.json main', async () => {
    const r = await cli(['start', `${process.execPath} ${idle} "two words" x`, '--name', 'cmdstr']);
    assert.equal(r.code, 0, r.stderr);
    const [p] = (await jlist()).filter((x) => x.name === 'cmdstr');
    // The first word is the program (here node itself, run directly), the others its arguments.
    assert.match(String(p?.script), /node[\d.]*$/);
    assert.deepEqual(p?.args, [idle, 'two words', 'x']);
    await cli(['delete', 'cmdstr']);

    const dir = join(home, 'pkg-dir');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'server.js'), readFileSync(idle));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@acme/pkgapp', main: 'server.js' }));
    const d = await cli(['start', dir]);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stderr, /from package.json "main"/);
    const [q] = (await jlist()).filter((x) => x.name === 'pkgapp');
    assert.equal(q?.script, join(dir, 'server.js'));
    assert.equal(q?.cwd, dir);
    await cli(['delete', 'pkgapp']);
  });

  test("jlist / prettylist --format pm2: PM2's shape, through the fast path and through the parser", async () => {
    assert.deepEqual(JSON.parse((await cli(['jlist', '--format', 'pm2'])).stdout), []);
    await cli(['start', idle, '--name', 'shaped', '-i', '2', '--exec-mode', 'fork']);
    await cli(['restart', 'shaped']);
    const r = await cli(['jlist', '--format=pm2']);
    assert.equal(r.code, 0, r.stderr);
    const entries = JSON.parse(r.stdout) as { name: string; pid: number; pm2_env: Record<string, unknown> }[];
    assert.deepEqual(shapeProblems(entries), []);
    assert.deepEqual(
      entries.map((e) => [e.name, e.pm2_env.status, e.pm2_env.restart_time, e.pm2_env.NODE_APP_INSTANCE]),
      [
        ['shaped', 'online', 1, 0],
        ['shaped', 'online', 1, 1],
      ],
    );
    const tend = (await jlist()).filter((p) => p.name === 'shaped');
    assert.deepEqual(
      entries.map((e) => e.pid),
      tend.map((p) => p.pid),
    );
    const pretty = await cli(['prettylist', '--format', 'pm2']);
    assert.equal(pretty.stdout.match(/restart_time: 1,/g)?.length, 2, pretty.stdout);
    // Any other spelling goes through the full parser (commander): the same output.
    const parsed = await cli(['jlist', '--format', 'tend', '--format', 'pm2']);
    assert.equal(parsed.code, 0, parsed.stderr);
    assert.deepEqual(
      (JSON.parse(parsed.stdout) as typeof entries).map((e) => [e.pid, e.pm2_env.restart_time]),
      entries.map((e) => [e.pid, e.pm2_env.restart_time]),
    );
    const bad = await cli(['jlist', '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected "tend".*or "pm2".*TEND_ERR_USAGE/);
    await cli(['delete', 'shaped']);
  });

  test('a .ts script on a Node that cannot run it says how to', async () => {
    const file = join(home, 'api.ts');
    writeFileSync(file, 'const n: number = 1;\nsetInterval(() => n, 1 << 30);\n');
    const r = await cli(['start', file, '--name', 'tsapp', '--no-wait']);
    if (stripsTypes(process.versions.node)) assert.doesNotMatch(r.stderr, /is TypeScript/);
    else
      assert.match(
        r.stderr,
        /api.ts is TypeScript, which Node .* cannot run without a loader: add node_args: "--import tsx".*TEND_ERR_NOTICE/,
      );
    await cli(['delete', 'tsapp']);
  });
});
