// The exports checked by real validators: systemd-analyze verify (stderr empty), the Kubernetes schemas of
// kubernetes-models (validate(), plus TypeScript's excess-property checks on the typed objects), and the
// compose-spec JSON Schema with ajv. Each check is also shown to fail on a broken input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Ajv from 'ajv';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { CronJob, type ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import { type IJob, Job } from 'kubernetes-models/batch/v1/Job';
import { type IService, Service } from 'kubernetes-models/v1/Service';
import { parse } from 'yaml';
import { checkExport } from '../../../src/export/check.js';
import { composeDocument } from '../../../src/export/compose.js';
import { k8sObjects } from '../../../src/export/k8s.js';
import { renderExport } from '../../../src/export/render.js';
import { EXPORT_FIXTURES, inputOf, loadFixture } from './support.js';

const tool = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const noSystemd = tool.error
  ? 'systemd-analyze is not installed (.ci/run installs the systemd package)'
  : false;

describe('systemd-analyze verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-export-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('accepts every unit, stderr empty (real node; 252 and 254 renderings)', {
    skip: noSystemd,
  }, async () => {
    for (const systemdVersion of [252, 254]) {
      // Real executables: verify fails a unit whose ExecStart binary does not exist.
      const input = inputOf(await loadFixture(), {
        systemdVersion,
        user: 'root',
        runtime: { node: process.execPath, entry: join(EXPORT_FIXTURES, 'app.cjs') },
      });
      const { files } = renderExport('systemd', input);
      for (const f of files) writeFileSync(join(dir, f.name), f.content);
      const r = spawnSync('systemd-analyze', ['verify', ...files.map((f) => join(dir, f.name))], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      // 254's RestartSteps is unknown to an older systemd: its warning would appear here.
      if (systemdVersion === 252 || !/RestartSteps/.test(r.stderr)) assert.equal(r.stderr, '');
    }
  });

  test('--check reports a broken unit as findings', { skip: noSystemd }, async () => {
    const report = await checkExport('systemd', [
      { name: 'bad.service', content: '[Service]\nType=bogus\nExecStart=/bin/true\n' },
    ]);
    assert.equal(report.ran, true);
    assert.match(report.findings.join('\n'), /^bad\.service:2: Failed to parse service type/m);
  });
});

describe('Kubernetes schemas (kubernetes-models)', () => {
  test('every object validates; the typed objects reject unknown fields at compile time', async () => {
    const { objects } = k8sObjects(inputOf(await loadFixture(), { image: 'shop:1.4' }));
    assert.deepEqual(
      objects.map((o) => `${o.kind}/${o.metadata?.name?.replace(/-[0-9a-f]{8}$/, '-<hash>')}`),
      ['Job/migrate-<hash>', 'Deployment/api', 'Service/api', 'Deployment/worker', 'CronJob/report'],
    );
    for (const o of objects) {
      if (o.kind === 'Deployment') new Deployment(o as IDeployment).validate();
      else if (o.kind === 'Job') new Job(o as IJob).validate();
      else if (o.kind === 'CronJob') new CronJob(o as ICronJob).validate();
      else new Service(o as IService).validate();
    }
    const typed: IDeployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      // @ts-expect-error a misspelt field: validate() would accept it, the type does not
      spec: { replicas: 1, selector: {}, template: {}, minReadySecond: 2 },
    };
    assert.ok(typed);
  });

  test('the check catches a broken object, and --check reads the YAML it wrote', async () => {
    assert.throws(
      () =>
        new Deployment({
          metadata: { name: 'x' },
          spec: { replicas: 'two', template: {} },
        } as never).validate(),
      /selector/,
    );
    const { files } = renderExport('k8s', inputOf(await loadFixture()));
    const ok = await checkExport('k8s', files);
    assert.deepEqual(ok, { validator: 'kubernetes-models', ran: true, findings: [] });
    const broken =
      files[0]?.content
        .replace(/replicas: 2/, 'replicas: two')
        .replace(/backoffLimit: 0/, 'backoffLimit: none') ?? '';
    const bad = await checkExport('k8s', [{ name: 'k8s.yaml', content: broken }]);
    assert.match(bad.findings.join('\n'), /Deployment api: .*replicas must be integer/);
    assert.match(bad.findings.join('\n'), /Job migrate-[0-9a-f]{8}: .*backoffLimit must be integer/);
  });
});

describe('compose-spec JSON Schema (ajv)', () => {
  const schema = JSON.parse(readFileSync(join(EXPORT_FIXTURES, 'compose-spec.json'), 'utf8'));
  // $schema is draft-07 over https, which ajv does not bundle: no meta-validation.
  const validate = new Ajv.default({ strict: false, validateSchema: false, allErrors: true }).compile(schema);

  test('the rendered compose.yaml validates, with and without --image', async () => {
    for (const image of ['shop:1.4', null]) {
      const { files } = renderExport('compose', inputOf(await loadFixture(), { image }));
      const doc = parse(files[0]?.content ?? '');
      assert.equal(validate(doc), true, JSON.stringify(validate.errors));
    }
  });

  test('the schema rejects what compose rejects: an unknown condition, a misspelt healthcheck key', async () => {
    const { document } = composeDocument(inputOf(await loadFixture()));
    const api = document.services.api as { depends_on: Record<string, { condition: string }> };
    const bad = structuredClone(document);
    (bad.services.api as typeof api).depends_on.worker = { condition: 'service_ready' };
    assert.equal(validate(bad), false);
    const bad2 = structuredClone(document);
    (bad2.services.api as { healthcheck: Record<string, unknown> }).healthcheck.intervall = '5s';
    assert.equal(validate(bad2), false);
  });
});
