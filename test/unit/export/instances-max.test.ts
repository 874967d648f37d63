// `instances: 'max'` (or 0, or -n) counts the CPUs of the machine that runs the app, not of the one that
// exports: the export is the same on every machine (1, and a warning saying how to scale), and nothing is
// computed from this machine's count (systemd's MemoryMax, compose's memory limit).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { renderExport } from '../../../src/export/render.js';
import { EXPORT_FIXTURES, inputOf, loadFixture } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-export-max-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function load() {
  const file = join(dir, 'm.json');
  // Relative to the file: an absolute script is a host path, warned by k8s and compose.
  const script = relative(dir, join(EXPORT_FIXTURES, 'app.cjs'));
  const apps = [
    { name: 'max', script, instances: 'max', max_memory_restart: '100M' },
    { name: 'zero', script, instances: 0, exec_mode: 'fork' },
    { name: 'minus', script, instances: -1 },
    { name: 'two', script, instances: 2, max_memory_restart: '100M' },
  ];
  writeFileSync(file, JSON.stringify({ apps }));
  return loadFixture(file);
}

test("'max', 0 and -n: instances 1 on every machine, named as CPU-relative", async () => {
  const loaded = await load();
  assert.deepEqual(loaded.cpuRelative, ['max', 'zero', 'minus']);
  assert.deepEqual(
    loaded.apps.map((a) => a.instances),
    [1, 1, 1, 2],
  );
});

test('k8s: replicas 1 and a warning on scaling; a counted app keeps its replicas', async () => {
  const { files, warnings } = renderExport('k8s', inputOf(await load(), { image: 'img:1' }));
  const docs = parseAllDocuments(files[0]?.content ?? '').map((d) => d.toJS());
  assert.deepEqual(
    docs.map((d) => d.spec.replicas),
    [1, 1, 1, 2],
  );
  const max = warnings.find((w) => w.app === 'max');
  assert.equal(max?.field, 'exec_mode');
  assert.match(max?.message ?? '', /^instances follow the CPUs: replicas: 1 here, whatever machine exports/);
  assert.match(max?.message ?? '', /HorizontalPodAutoscaler/);
  assert.match(max?.message ?? '', /one instance per pod \(tend-runtime --instances 1\)/);
});

test("systemd and compose: no memory cap computed from this machine's CPUs, and a warning", async () => {
  const input = inputOf(await load(), { image: 'img:1' });
  const units = renderExport('systemd', input);
  assert.doesNotMatch(units.files[0]?.content ?? '', /MemoryMax/);
  assert.match(units.files[3]?.content ?? '', /^MemoryMax=344M$/m);
  assert.deepEqual(
    units.warnings.map((w) => `${w.app}: ${w.field}`),
    ['max: max_memory_restart'],
  );
  const compose = renderExport('compose', input);
  const services = parse(compose.files[0]?.content ?? '').services;
  assert.equal(services.max.deploy, undefined);
  // 1.2 × 100M × 2 instances + 56M (tend-runtime) + 48M (the cluster primary) + 48M (the healthcheck's
  // tend-runtime probe: a cluster app is ready once a worker listens, so it has one)
  assert.equal(services.two.deploy.resources.limits.memory, '392m');
  assert.deepEqual(
    compose.warnings.map((w) => `${w.app}: ${w.field}`),
    ['max: max_memory_restart'],
  );
});
