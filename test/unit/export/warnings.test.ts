// Every warning of `tend export`: each field without an equivalent in a target is named, per app, and a
// clean app gets none. The apps are written to a temporary ecosystem file and loaded as the CLI loads them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import type { ExportTarget } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
import { EXPORT_FIXTURES, inputOf, loadFixture } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-export-w-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const script = join(EXPORT_FIXTURES, 'app.cjs');
let n = 0;

/** `app: field` of every warning for these apps in this target. */
async function warningsOf(
  target: ExportTarget,
  apps: Record<string, unknown>[],
  over: Parameters<typeof inputOf>[1] = {},
): Promise<string[]> {
  const file = join(dir, `e${n++}.json`);
  writeFileSync(file, JSON.stringify({ apps: apps.map((a) => ({ script: relative(dir, script), ...a })) }));
  const input = inputOf(await loadFixture(file), { image: 'img:1', ...over });
  return renderExport(target, input).warnings.map((w) => `${w.app}: ${w.field}`);
}

describe('export warnings', () => {
  test('a plain app: no warning in any target', async () => {
    for (const t of ['systemd', 'k8s', 'compose'] as ExportTarget[])
      assert.deepEqual(await warningsOf(t, [{ name: 'web', env: { PORT: 8080 } }]), [], t);
  });

  test('watch and cron_restart: every target', async () => {
    for (const t of ['systemd', 'k8s', 'compose'] as ExportTarget[])
      assert.deepEqual(
        await warningsOf(t, [{ name: 'w', watch: true, cron_restart: '0 3 * * *' }]),
        ['w: watch', 'w: cron_restart'],
        t,
      );
  });

  test('custom log files: every target (the output goes to stdout)', async () => {
    assert.deepEqual(await warningsOf('compose', [{ name: 'l', out_file: join(dir, 'l.log') }]), [
      'l: out_file',
    ]);
  });

  test('a variable that looks secret: referenced, never written, in every target', async () => {
    for (const t of ['systemd', 'k8s', 'compose'] as ExportTarget[])
      assert.deepEqual(await warningsOf(t, [{ name: 's', env: { DB_PASSWORD: 'x', A: '1' } }]), [
        's: env.DB_PASSWORD',
      ]);
  });

  test('Kubernetes: cluster mode and instances → replicas, exit codes, restarts, depends_on, env_file, image; a one-shot is a Job', async () => {
    const env = join(EXPORT_FIXTURES, 'app.env');
    assert.deepEqual(
      await warningsOf(
        'k8s',
        [
          { name: 'c', exec_mode: 'cluster', instances: 2 },
          {
            name: 'f',
            instances: 3,
            exec_mode: 'fork',
            depends_on: ['c'],
            env: { PORT: 8080 },
            increment_var: 'PORT',
          },
          { name: 'o', autorestart: false, stop_exit_codes: [0], restart_delay: 100, env_file: env },
          { name: 'd', stop_exit_codes: [0], restart_delay: 100 },
        ],
        { image: null },
      ),
      [
        '*: --image',
        'c: exec_mode',
        // Each pod is instance 0 (the ninth audit: nothing said so).
        'c: instance_var',
        'f: instances',
        'f: instance_var',
        'f: increment_var',
        'f: depends_on.c',
        // A Job: nothing restarts it, so neither restarts nor exit codes are lost.
        'o: env_file',
        'd: stop_exit_codes',
        'd: restart_delay',
      ],
    );
  });

  test('Kubernetes probes: an exec probe with env (the rest maps one to one)', async () => {
    assert.deepEqual(
      await warningsOf('k8s', [
        {
          name: 'p',
          startup_probe: { exec: { command: ['true'], env: { A: '1' } } },
          readiness_probe: { http_get: { port: '$PORT', path: '/' } },
          env: { PORT: 8080 },
        },
      ]),
      ['p: startup_probe'],
    );
  });

  test('restart limits and delays: warned where nothing keeps them (compose, Kubernetes), not for a one-shot', async () => {
    const apps = [
      { name: 'limits', max_restarts: 3, min_uptime: 5000 },
      { name: 'delays', restart_delay: 500 },
      // Nothing restarts a one-shot, in tend or in the target: its restart fields have no effect.
      { name: 'once', autorestart: false, restart_delay: 500, max_restarts: 3, min_uptime: 5000 },
    ];
    const expected = ['limits: max_restarts, min_uptime', 'delays: restart_delay'];
    assert.deepEqual(await warningsOf('compose', apps), expected);
    assert.deepEqual(await warningsOf('k8s', apps), expected);
    // systemd keeps them: StartLimitBurst=, StartLimitIntervalSec=, RestartSec=.
    assert.deepEqual(await warningsOf('systemd', apps), []);
  });

  test('compose: conditions without an equivalent, bind, timeout, exit codes, restart delays', async () => {
    assert.deepEqual(
      await warningsOf('compose', [
        { name: 'a', ready_log_line: 'up' },
        { name: 'b', autorestart: false },
        {
          name: 'c',
          stop_exit_codes: [3],
          exp_backoff_restart_delay: 100,
          depends_on: {
            a: { condition: 'process_log_ready', bind: true, timeout_seconds: 5 },
            b: { condition: 'process_completed' },
          },
        },
      ]),
      [
        'c: stop_exit_codes',
        'c: exp_backoff_restart_delay',
        'c: depends_on.a',
        'c: depends_on.a.bind',
        'c: depends_on.a.timeout_seconds',
        'c: depends_on.b',
      ],
    );
  });

  test('systemd: backoff before 254, readiness conditions, a name systemd does not take', async () => {
    // Every readiness gate (a log line, a probe, wait_ready) makes a Type=notify unit, so After= waits for
    // its readiness: no warning. A one-shot waited to complete is Type=oneshot, so After= waits for its exit:
    // no warning either, for process_completed (Wants=: any exit code) as for process_completed_successfully.
    assert.deepEqual(
      await warningsOf('systemd', [
        { name: 'db', ready_log_line: 'up' },
        { name: 'ok', wait_ready: true },
        { name: 'pr', readiness_probe: { tcp_socket: { port: 5432 } } },
        { name: 'job', autorestart: false },
        { name: 'job2', autorestart: false },
        {
          name: 'api+v2',
          exp_backoff_restart_delay: 100,
          depends_on: {
            db: { condition: 'process_healthy' },
            ok: { condition: 'process_healthy' },
            pr: { condition: 'process_healthy' },
            job: { condition: 'process_completed_successfully' },
            job2: { condition: 'process_completed' },
          },
        },
      ]),
      ['api+v2: name', 'api+v2: exp_backoff_restart_delay'],
    );
    assert.deepEqual(
      await warningsOf('systemd', [{ name: 'x', exp_backoff_restart_delay: 100 }], { systemdVersion: 255 }),
      [],
    );
  });
});

describe('what tend-runtime does not do: alerts, log timestamps, log rotation', () => {
  test('notify, time/log_date_format, log_type and max_size/retain/compress/rotate_interval: warned in every target (the rule tend-runtime says at start)', async () => {
    const apps = [
      { name: 'alerts', notify: { webhook: 'http://127.0.0.1:18777/x' } },
      { name: 'cmd', notify: { exec: 'logger crash' } },
      { name: 'dates', time: true, log_date_format: 'YYYY-MM-DD HH:mm' },
      { name: 'rotate', max_size: '10M', retain: 3, compress: true, rotate_interval: 'daily' },
      { name: 'json', log_type: 'json' },
    ];
    for (const target of ['systemd', 'k8s', 'compose'] as ExportTarget[])
      assert.deepEqual(
        await warningsOf(target, apps),
        [
          'alerts: notify',
          'cmd: notify',
          'dates: time, log_date_format',
          'rotate: max_size, retain, compress, rotate_interval',
          'json: log_type',
        ],
        target,
      );
    // The defaults say nothing.
    assert.deepEqual(await warningsOf('compose', [{ name: 'plain', retain: 5, compress: false }]), []);
  });
});

describe('commands printed for pasting are shell-quoted', () => {
  test("k8s env_file: the kubectl command's --from-env-file reaches kubectl as one word, unexpanded", async () => {
    const odd = join(dir, `we ird"\\%$dir $(id) it's`);
    mkdirSync(odd);
    const envFile = join(odd, 'my %n.env');
    writeFileSync(envFile, 'A=1\n');
    const file = join(dir, `e${n++}.json`);
    writeFileSync(
      file,
      JSON.stringify({ apps: [{ name: 'w', script: relative(dir, script), env_file: envFile }] }),
    );
    const { warnings } = renderExport('k8s', inputOf(await loadFixture(file), { image: 'img:1' }));
    const message = warnings.find((w) => w.field === 'env_file')?.message ?? '';
    const command = message.slice(message.indexOf('kubectl '));
    // The words a shell gives kubectl, printed one a line instead of running it.
    const r = spawnSync('sh', ['-c', `printf '%s\\n' ${command.slice('kubectl '.length)}`], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(0, -1), [
      'create',
      'secret',
      'generic',
      'w-env',
      `--from-env-file=${envFile}`,
    ]);
  });
});
