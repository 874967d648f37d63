// Durations past what a target takes (sixth audit): `kill_timeout: 1e18` wrote TimeoutStopSec=1000000000000005,
// `1e24` wrote `1e+21`, `restart_delay: 1e18` RestartSec=1000000000000000s, and `--check` failed "Failed to
// parse time value"; compose and k8s got the same numbers. systemd now gets `infinity`, compose and k8s the
// most the field takes, each warned; the validators accept every file. And a huge max_restarts no longer
// renders one start at a time (1e15 iterations: the export never ended).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { checkExport } from '../../../src/export/check.js';
import { renderExport } from '../../../src/export/render.js';
import { appsFixtures } from './support.js';

const { script, inputFor } = appsFixtures('tend-export-huge-');
const noSystemd = spawnSync('systemd-analyze', ['--version']).error
  ? 'systemd-analyze is not installed'
  : false;

const HUGE = [
  {
    name: 'web',
    kill_timeout: 1e24,
    restart_delay: 1e18,
    listen_timeout: 1e18,
    wait_ready: true,
    min_uptime: 1e18,
    min_ready_seconds: 1e15,
    env: { PORT: '3000' },
    readiness_probe: {
      tcp_socket: { port: 3000 },
      period_seconds: 1e15,
      timeout_seconds: 1e15,
      initial_delay_seconds: 1e15,
      failure_threshold: 1e12,
      success_threshold: 1e12,
    },
  },
  { name: 'back', kill_timeout: 1e18, exp_backoff_restart_delay: 1e18, exp_backoff_max_delay: 1e20 },
];

const runtime = { node: process.execPath, entry: script };
const fields = (warnings: readonly { app: string; field: string }[]) =>
  warnings.map((w) => `${w.app}: ${w.field}`).sort();

describe('a duration past what the target takes', () => {
  test('systemd: infinity, warned; no number systemd cannot parse', async () => {
    const r = renderExport('systemd', await inputFor(HUGE, { runtime, systemdVersion: 256 }));
    const web = r.files.find((f) => f.name === 'web.service')?.content ?? '';
    const back = r.files.find((f) => f.name === 'back.service')?.content ?? '';
    assert.match(web, /^TimeoutStopSec=infinity$/m);
    assert.match(web, /^RestartSec=infinity$/m);
    assert.match(web, /^TimeoutStartSec=infinity$/m);
    assert.match(web, /^StartLimitIntervalSec=infinity$/m);
    assert.match(back, /^TimeoutStopSec=infinity$/m);
    assert.match(back, /^RestartSec=infinity$/m);
    assert.match(back, /^RestartMaxDelaySec=infinity$/m);
    // tend-runtime's --grace-period: digits, never 1e+21 (which its duration grammar refuses).
    for (const unit of [web, back]) {
      assert.match(unit, / --grace-period 9223372028s /);
      assert.doesNotMatch(unit, /e\+\d/);
    }
    assert.deepEqual(
      fields(r.warnings).filter((f) => !f.endsWith('min_ready_seconds')),
      [
        'back: exp_backoff_max_delay',
        'back: exp_backoff_restart_delay',
        'back: kill_timeout',
        // StartLimitIntervalSec=: the starts' min_uptime and restart delays.
        'back: max_restarts, min_uptime',
        'web: kill_timeout',
        'web: listen_timeout',
        'web: max_restarts, min_uptime',
        'web: restart_delay',
      ],
    );
    assert.match(
      r.warnings.find((w) => w.app === 'web' && w.field === 'restart_delay')?.message ?? '',
      /^RestartSec=infinity: longer than systemd takes \(at most 18446744073708 s\)$/,
    );
  });

  test('systemd-analyze verify accepts the units', { skip: noSystemd }, async () => {
    const r = renderExport('systemd', await inputFor(HUGE, { runtime, systemdVersion: 252 }));
    const report = await checkExport('systemd', r.files, { systemdVersion: 252 });
    assert.equal(report.ran, true);
    assert.deepEqual(report.findings, []);
  });

  test('compose: the longest Go duration, warned; the schema accepts the file', async () => {
    const r = renderExport('compose', await inputFor(HUGE));
    const doc = parse(r.files[0]?.content ?? '') as {
      services: Record<string, { stop_grace_period: string; healthcheck: Record<string, string> }>;
    };
    const web = doc.services.web;
    assert.equal(web?.stop_grace_period, '9223372031s');
    assert.equal(web?.healthcheck.interval, '9223372036s');
    assert.equal(web?.healthcheck.timeout, '9223372036s');
    assert.equal(web?.healthcheck.start_period, '9223372036s');
    assert.equal(doc.services.back?.stop_grace_period, '9223372031s');
    assert.deepEqual(
      fields(r.warnings).filter((f) => /kill_timeout|readiness_probe|listen_timeout/.test(f)),
      [
        'back: kill_timeout',
        'web: kill_timeout',
        'web: listen_timeout',
        'web: readiness_probe.period_seconds',
        'web: readiness_probe.timeout_seconds',
      ],
    );
    const report = await checkExport('compose', r.files);
    if (report.ran) assert.deepEqual(report.findings, []);
  });

  test('k8s: int32 fields at most 2147483647, the grace period what the kubelet holds; warned, valid', async () => {
    // The app's own probe, written as the kubelet's: without wait_ready (with it, the kubelet asks
    // tend-runtime's /readyz, whose period is clamped the same way: below).
    const r = renderExport('k8s', await inputFor(HUGE.map((a) => ({ ...a, wait_ready: false }))));
    const text = r.files[0]?.content ?? '';
    assert.doesNotMatch(text, /e\+\d/);
    const deployment = parseAllDocuments(text)
      .map((d) => d.toJS())
      .find((o) => o.kind === 'Deployment' && o.metadata.name === 'web');
    assert.equal(deployment.spec.minReadySeconds, 2147483647);
    const pod = deployment.spec.template.spec;
    assert.equal(pod.terminationGracePeriodSeconds, 9223372036);
    const probe = pod.containers[0].readinessProbe;
    assert.deepEqual(
      [
        probe.initialDelaySeconds,
        probe.periodSeconds,
        probe.timeoutSeconds,
        probe.successThreshold,
        probe.failureThreshold,
      ],
      [2147483647, 2147483647, 2147483647, 2147483647, 2147483647],
    );
    assert.ok(fields(r.warnings).includes('web: kill_timeout'));
    assert.ok(fields(r.warnings).includes('web: min_ready_seconds'));
    const probeWarnings = r.warnings.filter((w) => w.field === 'readiness_probe');
    assert.equal(probeWarnings.length, 5, JSON.stringify(probeWarnings));
    const report = await checkExport('k8s', r.files);
    if (report.ran) assert.deepEqual(report.findings, []);
    // With wait_ready: /readyz, asked as often as the probe runs, which is clamped as well (warned).
    const gated = renderExport('k8s', await inputFor(HUGE));
    const readyz = parseAllDocuments(gated.files[0]?.content ?? '')
      .map((d) => d.toJS())
      .find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].readinessProbe;
    assert.deepEqual(readyz, {
      httpGet: { path: '/readyz', port: 'health' },
      periodSeconds: 2147483647,
      failureThreshold: 1,
    });
    assert.ok(
      gated.warnings.some(
        (w) => w.field === 'readiness_probe' && /^periodSeconds 2147483647: /.test(w.message),
      ),
    );
  });
});

test('a huge max_restarts renders at once: StartLimitBurst= at most UINT_MAX, warned', async () => {
  const r = renderExport(
    'systemd',
    await inputFor(
      [
        { name: 'a', max_restarts: 1e15 },
        { name: 'b', max_restarts: 1e15, exp_backoff_restart_delay: 100, exp_backoff_max_delay: 60_000 },
      ],
      { runtime, systemdVersion: 256 },
    ),
  );
  const a = r.files.find((f) => f.name === 'a.service')?.content ?? '';
  assert.match(a, /^StartLimitBurst=4294967295$/m);
  // (1 s + min_uptime 1 s + restart_delay 0) × 4294967295 starts.
  assert.match(a, /^StartLimitIntervalSec=8589934590$/m);
  assert.match(r.files.find((f) => f.name === 'b.service')?.content ?? '', /^StartLimitBurst=4294967295$/m);
  assert.deepEqual(fields(r.warnings), ['a: max_restarts', 'b: max_restarts']);
});
