// Seventh audit, the pod: a readiness probe beside wait_ready or a ready_log_line was run by the kubelet
// alone, so the pod was Ready (and the Service sent it requests) before the app said it was; probe timings
// under a second were rounded up to Kubernetes' whole seconds without a word; and every pod got a
// `<SERVICE>_PORT=tcp://…` variable per Service (enableServiceLinks), which `process.env.DB_PORT || 5432`
// reads.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { checkExport } from '../../../src/export/check.js';
import type { ExportInput } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
import { appsFixtures } from './support.js';

const { inputFor } = appsFixtures('tend-export-pod-');

function k8s(input: ExportInput) {
  const r = renderExport('k8s', input);
  const docs = parseAllDocuments(r.files[0]?.content ?? '').map((d) => d.toJS());
  const container = (name: string) =>
    docs.find((o) => o.metadata.labels['app.kubernetes.io/name'] === name && o.kind !== 'Service').spec
      .template.spec.containers[0];
  return { ...r, docs, container };
}

const PROBE = { http_get: { port: '$PORT', path: '/' }, period_seconds: 1, failure_threshold: 3 };

describe('readinessProbe: the app probe, or /readyz when something else gates readiness too', () => {
  test("wait_ready or ready_log_line with a readiness probe: tend-runtime's /readyz, warned; validates", async () => {
    const input = await inputFor([
      { name: 'api', env: { PORT: 3456 }, wait_ready: true, listen_timeout: 20000, readiness_probe: PROBE },
      { name: 'logs', env: { PORT: 3457 }, ready_log_line: 'up', readiness_probe: PROBE },
      { name: 'plain', env: { PORT: 3458 }, readiness_probe: PROBE },
      // A startup probe is the kubelet's own startupProbe, before which it runs no readiness probe.
      {
        name: 'boot',
        env: { PORT: 3459 },
        startup_probe: { tcp_socket: { port: '$PORT' } },
        readiness_probe: PROBE,
      },
    ]);
    const r = k8s(input);
    const readyz = { httpGet: { path: '/readyz', port: 'health' }, periodSeconds: 1, failureThreshold: 1 };
    assert.deepEqual(r.container('api').readinessProbe, readyz);
    assert.deepEqual(r.container('logs').readinessProbe, readyz);
    for (const app of ['plain', 'boot'])
      assert.deepEqual(
        r.container(app).readinessProbe,
        {
          httpGet: { path: '/', port: 'http', scheme: 'HTTP' },
          periodSeconds: 1,
          timeoutSeconds: 1,
          successThreshold: 1,
          failureThreshold: 3,
        },
        app,
      );
    const said = r.warnings.filter((w) => w.field === 'readiness_probe').map((w) => `${w.app}: ${w.message}`);
    assert.deepEqual(said, [
      "api: with wait_ready: the readinessProbe is tend-runtime's /readyz on port health, ready once the app said ready and the probe passes (tend-runtime runs it, with its timing and thresholds); the kubelet running the probe itself would mark the pod ready, and send it requests, before that",
      "logs: with ready_log_line: the readinessProbe is tend-runtime's /readyz on port health, ready once its ready_log_line was seen and the probe passes (tend-runtime runs it, with its timing and thresholds); the kubelet running the probe itself would mark the pod ready, and send it requests, before that",
    ]);
    const report = await checkExport('k8s', r.files);
    assert.deepEqual(report.ran ? report.findings : [], []);
  });
});

describe('probe timings in whole seconds', () => {
  test('0.5 s period, 0.2 s timeout, 1.5 s initial delay: rounded up, each warned with the value and what was written', async () => {
    const input = await inputFor([
      {
        name: 'api',
        env: { PORT: 3000 },
        readiness_probe: {
          tcp_socket: { port: 3000 },
          period_seconds: 0.5,
          timeout_seconds: 0.2,
          initial_delay_seconds: 1.5,
          failure_threshold: 3,
        },
        liveness_probe: { tcp_socket: { port: 3000 }, period_seconds: 10, timeout_seconds: 2 },
      },
    ]);
    const r = k8s(input);
    const probe = r.container('api').readinessProbe;
    assert.deepEqual([probe.initialDelaySeconds, probe.periodSeconds, probe.timeoutSeconds], [2, 1, 1]);
    assert.deepEqual(
      r.warnings.filter((w) => /_probe$/.test(w.field)).map((w) => `${w.app}: ${w.field}: ${w.message}`),
      [
        "api: readiness_probe: initial_delay_seconds 1.5: written as initialDelaySeconds: 2 (Kubernetes takes whole seconds, rounded up), longer than tend's",
        "api: readiness_probe: period_seconds 0.5: written as periodSeconds: 1 (Kubernetes takes whole seconds, at least 1, rounded up), longer than tend's",
        "api: readiness_probe: timeout_seconds 0.2: written as timeoutSeconds: 1 (Kubernetes takes whole seconds, at least 1, rounded up), longer than tend's",
      ],
    );
    const report = await checkExport('k8s', r.files);
    assert.deepEqual(report.ran ? report.findings : [], []);
  });
});

describe('enableServiceLinks', () => {
  test('false in every pod (Deployment, Job, CronJob), beside automountServiceAccountToken', async () => {
    const input = await inputFor([
      { name: 'db', env: { PORT: 5432 } },
      { name: 'api', env: { PORT: 3000 } },
      { name: 'once', autorestart: false },
      { name: 'nightly', autorestart: false, cron_restart: '0 3 * * *', cron_restart_tz: 'UTC' },
    ]);
    const r = k8s(input);
    const pods = r.docs
      .filter((o) => o.kind !== 'Service')
      .map((o) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec : o.spec).template.spec);
    assert.equal(pods.length, 4);
    for (const pod of pods) {
      assert.equal(pod.enableServiceLinks, false);
      assert.equal(pod.automountServiceAccountToken, false);
    }
    const report = await checkExport('k8s', r.files);
    assert.deepEqual(report.ran ? report.findings : [], []);
  });
});
