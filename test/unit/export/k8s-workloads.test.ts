// What Kubernetes runs for each kind of app: a Deployment for a service, a Job for a one-shot
// (`autorestart: false`), a CronJob for a one-shot that cron_restart re-runs; the warnings say the same as
// the output. Probes keep their host; the header says which Kubernetes the output needs (preStop.sleep).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Cron } from 'croner';
import { parseAllDocuments } from 'yaml';
import { checkExport } from '../../../src/export/check.js';
import { cronJobSchedule } from '../../../src/export/k8s-jobs.js';
import type { ExportInput } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
import { appsFixtures } from './support.js';

const { inputFor, lastFile } = appsFixtures('tend-export-k8s-');

function k8s(input: ExportInput) {
  const r = renderExport('k8s', input);
  const docs = parseAllDocuments(r.files[0]?.content ?? '').map((d) => d.toJS());
  return { ...r, docs, text: r.files[0]?.content ?? '' };
}

describe('Kubernetes workloads', () => {
  test('a one-shot is a Job, a scheduled one-shot a CronJob, a service a Deployment; all validate', async () => {
    const input = await inputFor([
      { name: 'web', env: { PORT: 8080 } },
      { name: 'migrate', autorestart: false, env: { PORT: 8081 } },
      { name: 'batch', autorestart: false, instances: 3, exec_mode: 'fork' },
      { name: 'nightly', autorestart: false, cron_restart: '0 0 3 * * *', cron_restart_tz: 'UTC' },
      { name: 'restarted', cron_restart: '0 3 * * *' },
    ]);
    const { docs, files, warnings } = k8s(input);
    assert.deepEqual(
      // A Job's name ends in 8 hex digits of its spec's hash (k8s-jobs.test.ts).
      docs.map((d) => `${d.kind}/${d.metadata.name.replace(/-[0-9a-f]{8}$/, '-<hash>')}`),
      [
        'Deployment/web',
        'Service/web',
        'Job/migrate-<hash>',
        'Job/batch-<hash>',
        'CronJob/nightly',
        'Deployment/restarted',
      ],
    );
    const job = docs[2];
    assert.equal(job.spec.backoffLimit, 0);
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
    // One instance in fork mode (--instances 1 would be PM2's -i: cluster mode for a one-shot).
    assert.deepEqual(job.spec.template.spec.containers[0].command.slice(0, 6), [
      'tend-runtime',
      lastFile(),
      '--only=migrate',
      '--no-deps',
      '--secrets-from-env',
      '--single-instance',
    ]);
    assert.deepEqual([docs[3].spec.parallelism, docs[3].spec.completions], [3, 3]);
    const cron = docs[4];
    // Six fields with seconds 0: the five a CronJob takes.
    assert.equal(cron.spec.schedule, '0 3 * * *');
    assert.equal(cron.spec.timeZone, 'UTC');
    assert.equal(cron.spec.concurrencyPolicy, 'Replace');
    assert.equal(cron.spec.jobTemplate.spec.template.spec.restartPolicy, 'Never');
    // The CronJob runs the schedule: the runtime in its pod does not (--no-cron), nor in a service's pod,
    // whose cron_restart stays the runtime's (and a warning).
    const commandOf = (d: (typeof docs)[number]): string[] =>
      (d.kind === 'CronJob' ? d.spec.jobTemplate.spec : d.spec).template.spec.containers[0].command;
    assert.ok(commandOf(cron).includes('--no-cron'), commandOf(cron).join(' '));
    assert.ok(!commandOf(docs[5]).includes('--no-cron'), commandOf(docs[5]).join(' '));
    assert.ok(!commandOf(job).includes('--no-cron'), 'no cron_restart, no flag');
    // The warnings agree: no "a Deployment always restarts" for a Job, no "not exported" for the CronJob's
    // schedule; a service's cron_restart is tend-runtime's, in each pod.
    const fields = warnings.map((w) => `${w.app}: ${w.field}: ${w.message}`);
    assert.ok(!fields.some((f) => /autorestart|a one-shot app is a Job/.test(f)), fields.join('\n'));
    assert.deepEqual(
      fields.filter((f) => f.startsWith('nightly: cron_restart')).length,
      1,
      'the CronJob runs at each tick only',
    );
    assert.ok(fields.some((f) => /^restarted: cron_restart: kept by tend-runtime in each pod/.test(f)));
    assert.ok(fields.some((f) => /^batch: instances: instances: 3 → parallelism: 3/.test(f)));
    const report = await checkExport('k8s', files);
    assert.deepEqual(report, { validator: 'kubernetes-models', ran: true, findings: [] });
  });

  test('day-of-week 7 (Sunday to croner): written in the 0-6 a CronJob takes, the same days', async () => {
    const cases: [string, string][] = [
      ['0 0 * * 7', '0 0 * * 0'],
      ['0 0 * * 5-7', '0 0 * * 5,6,0'],
      ['0 0 * * 1,7', '0 0 * * 1,0'],
      ['0 0 * * 0,7', '0 0 * * 0'],
      ['0 0 * * 1-7/2', '0 0 * * 1,3,5,0'],
      ['0 0 * * FRI-SUN', '0 0 * * 5,6,0'],
      ['30 4 * * 6-7,3', '30 4 * * 6,0,3'],
      ['0 0 * * MON-FRI', '0 0 * * MON-FRI'],
      ['0 0 * * */2', '0 0 * * */2'],
    ];
    // The days croner (tend) runs each on, in four weeks from a fixed date.
    const days = (expr: string) =>
      new Cron(expr, { timezone: 'UTC' })
        .nextRuns(28, new Date('2026-01-01T00:00:00Z'))
        .map((d) => d.toISOString());
    for (const [expr, schedule] of cases) {
      assert.deepEqual(cronJobSchedule(expr), { schedule }, expr);
      // robfig/cron's bounds: 0-6, no 7 anywhere in the field.
      assert.doesNotMatch(schedule.split(' ')[4] ?? '', /7/, expr);
      assert.deepEqual(days(schedule), days(expr), expr);
    }
    const { docs } = k8s(
      await inputFor([
        { name: 'sun', autorestart: false, cron_restart: '0 3 * * 5-7', cron_restart_tz: 'UTC' },
      ]),
    );
    assert.equal(docs[0].spec.schedule, '0 3 * * 5,6,0');
  });

  test('cron_restart schedules: five fields, seconds 0, macros; otherwise a Job and a warning', async () => {
    assert.deepEqual(cronJobSchedule('*/5 * * * *'), { schedule: '*/5 * * * *' });
    assert.deepEqual(cronJobSchedule('0 30 4 * * MON-FRI'), { schedule: '30 4 * * MON-FRI' });
    assert.deepEqual(cronJobSchedule('@Daily'), { schedule: '@daily' });
    assert.deepEqual(cronJobSchedule('0 0 1 JUL,AUG WED'), { schedule: '0 0 1 JUL,AUG WED' });
    for (const bad of ['*/10 * * * * *', '0 0 L * *', '0 0 * * 5#3', '0 0 15W * *', '@reboot'])
      assert.ok('problem' in cronJobSchedule(bad), bad);
    const { docs, warnings } = k8s(
      await inputFor([{ name: 'often', autorestart: false, cron_restart: '*/10 * * * * *' }]),
    );
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['Job'],
    );
    assert.match(
      warnings.map((w) => `${w.field}: ${w.message}`).join('\n'),
      /^cron_restart: a seconds field other than 0 has no CronJob equivalent: exported as a Job that runs once/m,
    );
  });

  test("a probe's host: httpGet.host and tcpSocket.host; the loopback tend defaults to is the pod", async () => {
    const { docs, warnings } = k8s(
      await inputFor([
        {
          name: 'h',
          env: { PORT: 3000 },
          liveness_probe: { http_get: { host: 'example.org', port: 80, path: '/' } },
          readiness_probe: { tcp_socket: { host: '10.1.2.3', port: 5432 } },
          startup_probe: { http_get: { port: '$PORT', path: '/start' } },
        },
      ]),
    );
    const c = docs[0].spec.template.spec.containers[0];
    assert.equal(c.livenessProbe.httpGet.host, 'example.org');
    assert.equal(c.readinessProbe.tcpSocket.host, '10.1.2.3');
    assert.equal(c.startupProbe.httpGet.host, undefined);
    assert.deepEqual(warnings, []);
  });

  test('the header says Kubernetes ≥ 1.30 (lifecycle.preStop.sleep)', async () => {
    const { text } = k8s(await inputFor([{ name: 'a' }]));
    assert.match(text, /^# Needs Kubernetes >= 1\.30: lifecycle\.preStop\.sleep/m);
    assert.match(text, /preStop:\n\s+sleep:\n\s+seconds: 5/);
  });
});
