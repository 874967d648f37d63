// PM2's jlist shape from tend's process details (src/pm2/jlist-entry.ts), against the checked-in description
// of the shape (test/fixtures/pm2/jlist-shape.json), and PM2's words for tend's states.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { type Pm2Detail, pm2Entries } from '../../../src/pm2/jlist-entry.js';
import { pm2Renderer, renderPm2 } from '../../../src/pm2/render.js';
import type { ProcessInfo, Status } from '../../../src/protocol/process-info.js';
import { shapeProblems } from '../../helpers/pm2-shape.js';

function detail(
  id: number,
  name: string,
  over: Partial<ProcessInfo> = {},
  extra: Partial<Pm2Detail> = {},
): Pm2Detail {
  const process = {
    id,
    name,
    namespace: 'default',
    mode: 'fork',
    instance: 0,
    pid: 1000 + id,
    status: 'online',
    restarts: 0,
    unstable_restarts: 0,
    started_at: 1_700_000_000_000,
    created_at: 1_699_999_999_000,
    uptime_ms: 5000,
    cpu: 1.234,
    memory: 50_000_000,
    last_exit: null,
    script: '/srv/app.js',
    args: ['--port', '3000'],
    cwd: '/srv',
    interpreter: '/usr/bin/node',
    interpreter_args: ['--max-old-space-size=256'],
    autorestart: true,
    ...over,
  } as ProcessInfo;
  return {
    process,
    config: {
      env: { NODE_ENV: 'production', PORT: '3000' },
      is_node: true,
      max_restarts: 16,
      min_uptime: 1000,
      restart_delay: 0,
      kill_timeout: 1600,
    },
    logs: {
      out: `/home/u/.tend/logs/${name}-out.log`,
      err: `/home/u/.tend/logs/${name}-error.log`,
      combined: null,
    },
    policies: {
      watch: false,
      ignore_watch: [],
      watch_delay: 0,
      max_memory_restart: null,
      memory_check_interval: 30000,
      cron_restart: null,
      cron_restart_tz: null,
      active: true,
    },
    ...extra,
  };
}

const version = { version: () => '1.2.3', pidPath: () => '' };

describe('jlist --format pm2', () => {
  test('every key of the described shape, with its type', () => {
    const entries = pm2Entries(
      [
        detail(0, 'api'),
        detail(1, 'web', {
          mode: 'cluster',
          instance: 0,
          pid: null,
          status: 'stopped',
          last_exit: { code: 0, signal: null, at: 1, uptime_ms: 1 },
        }),
        detail(
          2,
          'web',
          { mode: 'cluster', instance: 1 },
          { logs: { out: '/o', err: '/e', combined: '/c' } },
        ),
      ],
      version,
    );
    assert.deepEqual(shapeProblems(entries), []);
  });

  test('values in PM2 words and units', () => {
    const [api, web0, web1] = pm2Entries(
      [
        detail(2, 'web', { mode: 'cluster', instance: 1, restarts: 1 }),
        detail(0, 'api', { status: 'waiting-restart', pid: null, unstable_restarts: 2 }),
        detail(
          1,
          'web',
          { mode: 'cluster', instance: 0 },
          {
            policies: {
              ...detail(0, 'x').policies,
              watch: ['/srv'],
              max_memory_restart: 1024,
              cron_restart: '0 * * * *',
            },
          },
        ),
      ],
      version,
    );
    // In id order, as PM2 lists them.
    assert.deepEqual([api!.pm_id, web0!.pm_id, web1!.pm_id], [0, 1, 2]);
    assert.equal(api!.pid, 0, 'no process: pid 0, as PM2 says');
    assert.deepEqual(api!.monit, { memory: 0, cpu: 0 });
    assert.equal(api!.pm2_env.status, 'waiting restart');
    assert.equal(api!.pm2_env.unstable_restarts, 2);
    assert.equal(api!.pm2_env.exec_mode, 'fork_mode');
    assert.equal(api!.pm2_env.instances, 1);
    assert.equal(api!.pm2_env.NODE_ENV, 'production', "the app's env is in pm2_env too");
    assert.deepEqual(api!.pm2_env.env, { NODE_ENV: 'production', PORT: '3000' });
    assert.equal(api!.pm2_env.exec_interpreter, 'node');
    assert.equal(api!.pm2_env.version, '1.2.3');
    assert.equal(web0!.pm2_env.exec_mode, 'cluster_mode');
    assert.equal(web0!.pm2_env.instances, 2);
    assert.equal(web0!.pm2_env.watch, true);
    assert.equal(web0!.pm2_env.max_memory_restart, 1024);
    assert.equal(web0!.pm2_env.cron_restart, '0 * * * *');
    assert.equal(web1!.pm2_env.restart_time, 1);
    assert.equal(web1!.pm2_env.NODE_APP_INSTANCE, 1);
    assert.deepEqual(web1!.monit, { memory: 50_000_000, cpu: 1.2 });
    assert.equal(web1!.pm2_env.pm_uptime, 1_700_000_000_000);
    assert.equal('pm_log_path' in web1!.pm2_env, false, 'only with a combined log, as PM2');
  });

  test("each of tend's statuses has PM2's word", () => {
    const want: Record<Status, string> = {
      stopped: 'stopped',
      waiting: 'launching',
      blocked: 'launching',
      launching: 'launching',
      online: 'online',
      stopping: 'stopping',
      'waiting-restart': 'waiting restart',
      errored: 'errored',
    };
    for (const [status, word] of Object.entries(want))
      assert.equal(
        pm2Entries([detail(0, 'a', { status: status as Status })], version)[0]!.pm2_env.status,
        word,
      );
  });

  test('prettylist is util.inspect of the array, so grep "restart_time: 1" works', () => {
    const entries = pm2Entries([detail(0, 'api', { restarts: 1 })], version);
    const text = renderPm2(entries, true);
    assert.equal(
      text,
      `${inspect(entries, { depth: Number.POSITIVE_INFINITY, maxArrayLength: Number.POSITIVE_INFINITY, maxStringLength: Number.POSITIVE_INFINITY })}\n`,
    );
    assert.match(text, /^ {6}restart_time: 1,$/m);
    assert.match(text, /^ {4}name: 'api',$/m);
    assert.deepEqual(JSON.parse(renderPm2(entries, false)), JSON.parse(JSON.stringify(entries)));
  });

  test("the daemon's prettylist (entry by entry, texts kept) is util.inspect of the array, call after call", () => {
    const r = pm2Renderer();
    const full = (entries: ReturnType<typeof pm2Entries>) =>
      `${inspect(entries, { depth: Number.POSITIVE_INFINITY, maxArrayLength: Number.POSITIVE_INFINITY, maxStringLength: Number.POSITIVE_INFINITY })}\n`;
    const odd = {
      config: {
        env: { "it's": 'a "quote"', 'with-dash': 'x'.repeat(200), EMPTY: '', NL: 'a\nb', U: 'é✓' },
        is_node: false,
        max_restarts: 16,
        min_uptime: 1000,
        restart_delay: 0,
        kill_timeout: 1600,
      },
    };
    const many = Array.from({ length: 9 }, (_, i) => `--flag-${i}`);
    const cases = [
      [],
      [detail(0, 'api')],
      [detail(0, 'api'), detail(1, 'web', { args: many, pid: null, status: 'stopped' }, odd)],
      Array.from({ length: 8 }, (_, i) => detail(i, `app${i}`, { cpu: i / 3, memory: i * 1e9 })),
    ];
    for (const details of cases) {
      const entries = pm2Entries(details, version);
      assert.equal(r.render(entries, true), full(entries), `${details.length} entries`);
      // Again, with one entry changed and every usage sampled anew: kept texts, new numbers.
      const again = pm2Entries(
        details.map((d, i) =>
          i === 0
            ? { ...d, process: { ...d.process, restarts: 7 } }
            : { ...d, process: { ...d.process, memory: 123 + i, cpu: 0.5 } },
        ),
        version,
      );
      assert.equal(r.render(again, true), full(again), `${details.length} entries, second call`);
      assert.equal(r.render(again, false), `${JSON.stringify(again)}\n`);
    }
  });
});
