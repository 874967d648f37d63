// tend-pm2's target matching (src/pm2/cli/targets.ts) and its table (table.ts): pure functions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderPm2Table, shortBytes, shortUptime } from '../../../src/pm2/cli/table.js';
import { isDown, type Listed, regexOf, resolvePm2Targets } from '../../../src/pm2/cli/targets.js';
import type { Pm2Entry } from '../../../src/pm2/jlist-entry.js';

const p = (id: number, name: string, extra: Partial<Listed> = {}): Listed => ({
  id,
  name,
  namespace: 'default',
  script: `/srv/${name}.js`,
  status: 'online',
  wanted: 'up',
  ...extra,
});
const list = [
  p(0, 'api'),
  p(1, 'api-2', { namespace: 'web' }),
  p(2, 'worker', { namespace: 'web', script: '/srv/api.js' }),
  p(3, 'cron', { status: 'stopped', wanted: 'down' }),
];
const ids = (tokens: string[], cwd = '/srv') => {
  const r = resolvePm2Targets(tokens, list, cwd);
  return [r.matched.map((x) => x.id), r.missing];
};

describe('tend-pm2 targets', () => {
  test('name, id, all, namespace', () => {
    assert.deepEqual(ids(['api']), [[0], []]);
    assert.deepEqual(ids(['3']), [[3], []]);
    assert.deepEqual(ids(['all']), [[0, 1, 2, 3], []]);
    assert.deepEqual(ids(['web']), [[1, 2], []]);
  });

  test('a script path (relative to cwd or absolute) names every app running that file', () => {
    assert.deepEqual(ids(['./api.js']), [[0, 2], []]);
    assert.deepEqual(ids(['api.js']), [[0, 2], []]);
    assert.deepEqual(ids(['/srv/cron.js'], '/elsewhere'), [[3], []]);
    assert.deepEqual(ids(['api.js'], '/elsewhere'), [[], ['api.js']]);
  });

  test('/regex/ on names, with flags; several tokens, each process once, missing ones named', () => {
    assert.deepEqual(ids(['/^api/']), [[0, 1], []]);
    assert.deepEqual(ids(['/^API-\\d$/i']), [[1], []]);
    assert.deepEqual(ids(['/^api/', 'api', 'cron', 'nope', '9']), [
      [0, 1, 3],
      ['nope', '9'],
    ]);
    assert.equal(regexOf('/[/'), null);
    assert.equal(regexOf('api'), null);
  });

  test('down: stopped, errored or wanted down', () => {
    assert.deepEqual(list.map(isDown), [false, false, false, true]);
    assert.equal(isDown({ status: 'errored', wanted: 'up' }), true);
    assert.equal(isDown({ status: 'waiting-restart', wanted: 'up' }), false);
  });
});

describe('tend-pm2 table', () => {
  test("PM2's short units", () => {
    assert.deepEqual([0, 59_999, 60_000, 3_600_000, 90_000_000].map(shortUptime), [
      '0s',
      '59s',
      '1m',
      '1h',
      '1D',
    ]);
    assert.deepEqual([512, 2048, 42_151_936, 3 * 1024 ** 3].map(shortBytes), [
      '512b',
      '2.0kb',
      '40.2mb',
      '3.0gb',
    ]);
  });

  test("PM2's columns, one row per entry, stopped rows with 0", () => {
    const entry = (id: number, status: string, pid: number): Pm2Entry => ({
      pid,
      name: `app${id}`,
      pm_id: id,
      monit: { memory: pid ? 1024 * 1024 : 0, cpu: pid ? 1.5 : 0 },
      pm2_env: {
        status,
        namespace: 'default',
        version: '1.0.0',
        exec_mode: id === 0 ? 'cluster_mode' : 'fork_mode',
        pm_uptime: 1000,
        restart_time: id,
        watch: id === 0,
      },
    });
    const text = renderPm2Table([entry(0, 'online', 42), entry(1, 'stopped', 0)], 61_000, 'me');
    const rows = text.trim().split('\n');
    assert.equal(rows.length, 6);
    assert.deepEqual(
      rows[1]!
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim()),
      [
        'id',
        'name',
        'namespace',
        'version',
        'mode',
        'pid',
        'uptime',
        '↺',
        'status',
        'cpu',
        'mem',
        'user',
        'watching',
      ],
    );
    assert.deepEqual(
      rows[3]!
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim()),
      [
        '0',
        'app0',
        'default',
        '1.0.0',
        'cluster',
        '42',
        '1m',
        '0',
        'online',
        '1.5%',
        '1.0mb',
        'me',
        'enabled',
      ],
    );
    assert.deepEqual(
      rows[4]!
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim()),
      ['1', 'app1', 'default', '1.0.0', 'fork', '0', '0', '1', 'stopped', '0%', '0b', 'me', 'disabled'],
    );
  });
});
