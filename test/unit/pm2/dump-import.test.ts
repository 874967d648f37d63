// `tend import pm2`'s reading and mapping, on a dump a real PM2 7 wrote (test/fixtures/pm2/dump.pm2: three
// apps from an ecosystem file started with --env production, one stopped, a 2-worker cluster; its root
// directory replaced by @ROOT@), and the errors of broken dumps.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readPm2Dump } from '../../../src/pm2/dump-read.js';
import { appsFromDump } from '../../../src/pm2/dump-to-apps.js';
import { ecosystemText, formatOf } from '../../../src/pm2/ecosystem-text.js';
import { isTendError } from '../../../src/protocol/errors.js';
import { FIXTURES } from '../../helpers/daemon.js';
import { shapeProblems } from '../../helpers/pm2-shape.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-pm2dump-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const root = '/srv/pm2-root';
const dumpText = readFileSync(join(FIXTURES, 'pm2', 'dump.pm2'), 'utf8')
  .split('@ROOT@')
  .join(root);
const dumpFile = join(dir, 'dump.pm2');
writeFileSync(dumpFile, dumpText);
const opts = {
  pm2Home: `${root}/home`,
  env: { HOME: '/home/someone', PATH: '/usr/local/bin:/usr/bin:/bin' },
  fullEnv: false,
};

describe('tend import pm2: mapping', () => {
  const result = appsFromDump(readPm2Dump(dumpFile), opts);
  const app = (name: string) => result.apps.find((a) => a.name === name) as Record<string, unknown>;

  test('one app per name, with its fields under tend names', () => {
    assert.deepEqual(
      result.apps.map((a) => a.name),
      ['api', 'worker', 'ticker'],
    );
    assert.deepEqual(app('api'), {
      name: 'api',
      script: `${root}/apps/api.js`,
      cwd: `${root}/apps`,
      args: ['--port', '3000'],
      node_args: ['--max-old-space-size=128'],
      max_memory_restart: 209715200,
      kill_timeout: 3000,
      // env_production applied by PM2 already; PATH equals this shell's and is inherited.
      env: { HOME: root, NODE_ENV: 'production', API_TOKEN: 'dev' },
    });
    assert.deepEqual(app('worker'), {
      name: 'worker',
      script: `${root}/apps/worker.js`,
      cwd: `${root}/apps`,
      instances: 2,
      exec_mode: 'cluster',
      cron_restart: '0 3 * * *',
      max_restarts: 5,
      min_uptime: 2000,
      env: { HOME: root },
    });
    assert.deepEqual(app('ticker'), {
      name: 'ticker',
      script: `${root}/apps/tick.sh`,
      namespace: 'jobs',
      cwd: `${root}/apps`,
      interpreter: 'sh',
      autorestart: false,
      env: { HOME: root },
      out_file: `${root}/custom/ticker.log`,
    });
  });

  test('what PM2 had stopped, what tend ignores, what moved', () => {
    assert.deepEqual(result.stopped, ['ticker']);
    assert.deepEqual(result.ignored, ['api: treekill = false (tend always signals the whole process tree)']);
    assert.ok(
      result.notes.some((n) => n.startsWith('logs of api, worker, ticker go to')),
      result.notes.join('\n'),
    );
    assert.ok(
      result.notes.some((n) => /^3 environment variable\(s\) equal to this shell's were left out/.test(n)),
    );
  });

  test('--full-env keeps every variable of the app (never PM2 own ones)', () => {
    const full = appsFromDump(readPm2Dump(dumpFile), { ...opts, fullEnv: true });
    const env = full.apps[0]!.env as Record<string, string>;
    assert.equal(env.PATH, '/usr/local/bin:/usr/bin:/bin');
    for (const k of ['PM2_HOME', 'PM2_USAGE', 'unique_id', 'api']) assert.equal(k in env, false, k);
  });

  test('the file: JavaScript with the notes as comments, JSON, YAML; each reads back to the same apps', async () => {
    const js = await ecosystemText(result, dumpFile, formatOf(null));
    assert.match(js, /^\/\/ Imported from PM2's .*dump\.pm2/);
    assert.match(js, /^\/\/ {3}api: treekill = false/m);
    const jsFile = join(dir, 'eco.config.cjs');
    writeFileSync(jsFile, js);
    assert.deepEqual((await import(jsFile)).default.apps, result.apps);
    assert.deepEqual(JSON.parse(await ecosystemText(result, dumpFile, formatOf('x.json'))).apps, result.apps);
    const { parse } = await import('yaml');
    assert.deepEqual(parse(await ecosystemText(result, dumpFile, formatOf('x.yml'))).apps, result.apps);
  });

  test('two apps of one name in two namespaces: the second is renamed, and said so', () => {
    const entries = readPm2Dump(dumpFile);
    const twin = { ...entries[0]!, namespace: 'other' };
    const r = appsFromDump([...entries, twin], opts);
    assert.deepEqual(
      r.apps.map((a) => a.name),
      ['api', 'worker', 'ticker', 'api-other'],
    );
    assert.ok(r.notes.some((n) => n.includes('imported as api-other')));
  });
});

describe('tend import pm2: broken dumps', () => {
  const broken = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const fails = (file: string, detail: RegExp) =>
    assert.throws(
      () => readPm2Dump(file),
      (err) =>
        isTendError(err) &&
        err.code === 'TEND_ERR_PM2_DUMP' &&
        err.message.includes(file) &&
        detail.test(err.message),
    );
  test('missing, empty, truncated, not a list, an entry without name or script', () => {
    fails(join(dir, 'nope.pm2'), /no such file \(PM2 writes it with "pm2 save"/);
    fails(broken('empty.pm2', ''), /the file is empty.*dump\.pm2\.bak/);
    fails(broken('cut.pm2', dumpText.slice(0, 500)), /not JSON .*dump\.pm2\.bak/);
    fails(broken('obj.pm2', '{"apps": []}'), /expected a list of apps \(a JSON array\), got object/);
    fails(broken('noname.pm2', '[{"pm_exec_path": "/x.js"}]'), /\[0\]\.name: expected/);
    fails(broken('noscript.pm2', '[{"name": "a"}]'), /\[0\] \(a\)\.pm_exec_path: expected/);
  });
});

test('the shape description matches what a real PM2 7 printed (test/fixtures/pm2/pm2-jlist.json)', () => {
  const real = JSON.parse(readFileSync(join(FIXTURES, 'pm2', 'pm2-jlist.json'), 'utf8')) as unknown[];
  assert.equal(real.length, 4);
  assert.deepEqual(shapeProblems(real), []);
});
