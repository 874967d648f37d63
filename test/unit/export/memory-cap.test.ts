// The memory cap of every target leaves room for what shares the cgroup with the app's instances: tend-runtime
// itself (~45 MB at rest, ~54 MB while scraped) and, in cluster mode, the cluster primary. At 1.2 × max_memory_restart alone, an app
// restarting at 100M under a 120M cap was OOM-killed before tend's graceful restart (fifth audit).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { renderExport } from '../../../src/export/render.js';
import {
  CLUSTER_PRIMARY_RSS_MIB,
  memoryCapMiB,
  PROBE_RSS_MIB,
  RUNTIME_RSS_MIB,
} from '../../../src/export/units.js';
import { appsFixtures } from './support.js';

const { inputFor } = appsFixtures('tend-export-memory-');

async function caps(app: Record<string, unknown>) {
  const input = await inputFor([app]);
  const unit = renderExport('systemd', input).files[0]?.content ?? '';
  const [workload] = parseAllDocuments(renderExport('k8s', input).files[0]?.content ?? '').map((d) =>
    d.toJS(),
  );
  const compose = parse(renderExport('compose', input).files[0]?.content ?? '');
  return {
    systemd: /^MemoryMax=(.*)$/m.exec(unit)?.[1],
    k8s: workload.spec.template.spec.containers[0].resources?.limits.memory,
    compose: compose.services[app.name as string].deploy?.resources.limits.memory,
    unit,
  };
}

describe('the memory cap: 1.2 × threshold × instances + tend-runtime (+ a cluster primary)', () => {
  test("compose with a healthcheck: + 48 MiB for the tend-runtime probe it runs in the container's cgroup", async () => {
    // Seventh audit: a probe (41 MB max RSS measured) running while the app neared 100M pushed a 168M
    // cgroup into the kernel's OOM kill before tend's graceful restart.
    assert.ok(PROBE_RSS_MIB >= 41);
    const c = await caps({ name: 'h', max_memory_restart: '100M', wait_ready: true });
    assert.deepEqual([c.systemd, c.k8s, c.compose], ['176M', '176Mi', `${176 + PROBE_RSS_MIB}m`]);
  });

  test('the constants: at least what was measured (the runtime ~54 MB while scraped, a primary ~45 MB)', () => {
    assert.ok(RUNTIME_RSS_MIB >= 54 && CLUSTER_PRIMARY_RSS_MIB >= 45);
    assert.equal(memoryCapMiB(100 * 1048576, 1, false), 120 + RUNTIME_RSS_MIB);
    assert.equal(memoryCapMiB(100 * 1048576, 3, true), 360 + RUNTIME_RSS_MIB + CLUSTER_PRIMARY_RSS_MIB);
  });

  test('fork mode, one instance: 100M → 176 MiB in every target (120 before, under the runtime itself)', async () => {
    const c = await caps({ name: 'm', max_memory_restart: '100M' });
    assert.deepEqual([c.systemd, c.k8s, c.compose], ['176M', '176Mi', '176m']);
    assert.match(c.unit, /^# .*the hard cap is 1\.2 × that \+ 56M for tend-runtime$/m);
  });

  test('cluster mode, 2 instances: systemd and compose hold both and the primary; a pod one instance', async () => {
    // A known port: the pod runs its one instance in fork mode (--single-instance), no primary.
    const withPort = await caps({
      name: 'c',
      exec_mode: 'cluster',
      instances: 2,
      max_memory_restart: '100M',
      env: { PORT: 3000 },
    });
    // compose: + 48M for its healthcheck's tend-runtime probe (a cluster app has a readiness: a worker listening).
    assert.deepEqual([withPort.systemd, withPort.k8s, withPort.compose], ['344M', '176Mi', '392m']);
    assert.match(withPort.unit, /× 2 instances \+ 56M for tend-runtime \+ 48M for the cluster primary$/m);
    // No port: the pod keeps the primary (--instances 1), which its cap counts.
    const noPort = await caps({ name: 'c', exec_mode: 'cluster', instances: 2, max_memory_restart: '100M' });
    assert.equal(noPort.k8s, '224Mi');
  });
});
