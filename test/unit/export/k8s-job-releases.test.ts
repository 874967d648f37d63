// Seventh audit, one-shots as Jobs: a Job's spec.template is immutable, so a Job named after its app made
// the next release's `kubectl apply` (a new --image) fail with "field is immutable", and an unchanged one
// never ran again. Each Job is named `<app>-<8 hex of its spec's sha256>`: the same release, the same Job; a
// new image or config, a new Job. Finished Jobs go after a day (ttlSecondsAfterFinished). A one-shot with
// depends_on cannot wait in Kubernetes: its Job retries (backoffLimit 6), warned.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { type IJob, Job } from 'kubernetes-models/batch/v1/Job';
import { parseAllDocuments } from 'yaml';
import { checkExport } from '../../../src/export/check.js';
import { JOB_TTL_SECONDS, jobName } from '../../../src/export/k8s-jobs.js';
import type { ExportInput } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
import { appsFixtures, inputOf, loadFixture } from './support.js';

const { dir, script, inputFor } = appsFixtures('tend-export-jobs-');

function jobs(input: ExportInput) {
  const r = renderExport('k8s', input);
  const docs = parseAllDocuments(r.files[0]?.content ?? '').map((d) => d.toJS());
  return { ...r, docs, jobs: docs.filter((o) => o.kind === 'Job') };
}

const APPS = [
  { name: 'db', env: { PORT: 5432 }, ready_log_line: 'ready' },
  { name: 'migrate', autorestart: false, depends_on: { db: { condition: 'process_healthy' } } },
  { name: 'seed', autorestart: false },
  {
    name: 'api',
    env: { PORT: 3000 },
    depends_on: { migrate: { condition: 'process_completed_successfully' } },
  },
];

describe('a Job per release', () => {
  test("named <app>-<8 hex of the spec's sha256>, labelled with the app; a TTL of a day; validates", async () => {
    const r = jobs(await inputFor(APPS, { image: 'shop:1.4' }));
    assert.deepEqual(
      r.jobs.map((j) => j.metadata.name.replace(/-[0-9a-f]{8}$/, '-<hash>')),
      ['migrate-<hash>', 'seed-<hash>'],
    );
    for (const j of r.jobs) {
      const hash = createHash('sha256').update(JSON.stringify(j.spec)).digest('hex').slice(0, 8);
      assert.equal(j.metadata.name, `${j.metadata.labels['app.kubernetes.io/name']}-${hash}`);
      assert.equal(j.spec.ttlSecondsAfterFinished, JOB_TTL_SECONDS);
      assert.equal(JOB_TTL_SECONDS, 86400);
      new Job(j as IJob).validate();
    }
    const report = await checkExport('k8s', r.files);
    assert.deepEqual(report.ran ? report.findings : [], []);
  });

  test('the same input, the same name (apply leaves it); a new image or env value, a new Job', async () => {
    // One file, rewritten: its name is in the command, so another file would be another Job.
    const file = join(dir, 'release.json');
    const names = async (apps: Record<string, unknown>[], image: string) => {
      writeFileSync(
        file,
        JSON.stringify({ apps: apps.map((a) => ({ script: relative(dir, script), ...a })) }),
      );
      return jobs(inputOf(await loadFixture(file), { image })).jobs.map((j) => j.metadata.name);
    };
    const first = await names(APPS, 'shop:1.4');
    assert.deepEqual(await names(APPS, 'shop:1.4'), first);
    const nextImage = await names(APPS, 'shop:1.5');
    assert.notEqual(nextImage[0], first[0]);
    assert.notEqual(nextImage[1], first[1]);
    const changed = APPS.map((a) => (a.name === 'seed' ? { ...a, env: { SEED: '2' } } : a));
    const nextEnv = await names(changed, 'shop:1.4');
    assert.equal(nextEnv[0], first[0], 'migrate unchanged');
    assert.notEqual(nextEnv[1], first[1], 'seed changed');
  });

  test('a long name is shortened so the whole stays a label (63)', () => {
    const name = jobName('a'.repeat(63), { template: {} });
    assert.equal(name.length, 63);
    assert.match(name, /^a{54}-[0-9a-f]{8}$/);
    assert.match(jobName(`${'b'.repeat(53)}-x`, { template: {} }), /^b{53}-[0-9a-f]{8}$/);
  });

  test('nothing else names the Job: Services, Secrets and other objects keep the app name; a CronJob its own', async () => {
    const r = jobs(
      await inputFor(
        [...APPS, { name: 'nightly', autorestart: false, cron_restart: '0 3 * * *', cron_restart_tz: 'UTC' }],
        { image: 'shop:1.4' },
      ),
    );
    const text = r.files[0]?.content ?? '';
    const migrate = r.jobs[0].metadata.name as string;
    // Its name appears once: the Job's metadata.name.
    assert.equal(text.split(migrate).length - 1, 1);
    const cron = r.docs.find((o) => o.kind === 'CronJob');
    assert.equal(cron.metadata.name, 'nightly');
    // The CronJob controller names and cleans up its Jobs: no TTL there, its history limits apply.
    assert.equal(cron.spec.jobTemplate.spec.ttlSecondsAfterFinished, undefined);
  });
});

describe('a one-shot with depends_on', () => {
  test("backoffLimit 6 (Kubernetes' default), warned per dependency; without depends_on 0, as tend runs it once", async () => {
    const r = jobs(await inputFor(APPS, { image: 'shop:1.4' }));
    assert.deepEqual(
      r.jobs.map((j) => [j.metadata.labels['app.kubernetes.io/name'], j.spec.backoffLimit]),
      [
        ['migrate', 6],
        ['seed', 0],
      ],
    );
    const said = r.warnings
      .filter((w) => w.field.startsWith('depends_on.'))
      .map((w) => `${w.app}: ${w.message}`);
    assert.deepEqual(said, [
      "migrate: no equivalent in Kubernetes: pods start in any order, so the Job does not wait for db; it retries the one-shot instead (backoffLimit: 6, Kubernetes' default; a failed pod is retried after 10 s, doubling up to 6 min), where tend runs it once, after db: the one-shot must be safe to run again (docs/kubernetes.md)",
      'api: no equivalent in Kubernetes: pods start in any order; the app must retry its dependencies (docs/kubernetes.md)',
    ]);
  });
});
