// k8s and compose run the app from the image, not from this machine (fifth audit): a cwd, script or
// interpreter given as an absolute host path, or a cwd outside the build context, is warned; an exec probe
// that tend runs in the app's cwd runs there in the pod too (the kubelet runs it in the image's WORKDIR).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { ExportTarget } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
import { appsFixtures, EXPORT_FIXTURES, inputOf, loadFixture } from './support.js';

const { dir } = appsFixtures('tend-export-image-paths-');

/** An ecosystem file in `project` (the build context), its apps as given. */
async function inputIn(project: string, apps: Record<string, unknown>[]) {
  mkdirSync(join(project, 'sub'), { recursive: true });
  copyFileSync(join(EXPORT_FIXTURES, 'app.cjs'), join(project, 'sub', 'app.js'));
  copyFileSync(join(EXPORT_FIXTURES, 'app.cjs'), join(project, 'app.js'));
  const file = join(project, 'eco.json');
  writeFileSync(file, JSON.stringify({ apps }));
  return inputOf(await loadFixture(file, { cwd: project }), { image: 'x:1' });
}

const fieldsOf = (target: ExportTarget, input: Parameters<typeof renderExport>[1]) =>
  renderExport(target, input).warnings.map((w) => `${w.app}: ${w.field}`);

describe('host paths in k8s and compose', () => {
  test('an absolute cwd, script and interpreter: warned for each (systemd runs on this machine: not)', async () => {
    const project = join(dir, 'abs');
    const input = await inputIn(project, [
      {
        name: 'api',
        cwd: join(project, 'sub'),
        script: join(project, 'sub', 'app.js'),
        interpreter: process.execPath,
      },
    ]);
    for (const target of ['k8s', 'compose'] as const)
      assert.deepEqual(fieldsOf(target, input), ['api: cwd', 'api: script', 'api: interpreter'], target);
    const message = renderExport('k8s', input).warnings[0]?.message ?? '';
    assert.match(
      message,
      /is an absolute path of this machine: the container has it only if the image holds it at that same path/,
    );
    assert.deepEqual(fieldsOf('systemd', input), []);
  });

  test('relative paths inside the build context: no warning; a cwd outside it: warned', async () => {
    const project = join(dir, 'rel');
    const inside = await inputIn(project, [
      { name: 'api', cwd: 'sub', script: 'app.js', interpreter: 'node' },
    ]);
    for (const target of ['k8s', 'compose'] as const) assert.deepEqual(fieldsOf(target, inside), [], target);
    mkdirSync(join(dir, 'other'), { recursive: true });
    copyFileSync(join(EXPORT_FIXTURES, 'app.cjs'), join(dir, 'other', 'app.js'));
    const outside = await inputIn(join(dir, 'rel2'), [{ name: 'api', cwd: '../other', script: 'app.js' }]);
    assert.deepEqual(fieldsOf('k8s', outside), ['api: cwd']);
    assert.match(
      renderExport('compose', outside).warnings[0]?.message ?? '',
      /is outside the current directory/,
    );
  });
});

describe("an exec probe runs in the app's cwd in the pod, as under tend", () => {
  const probeOf = async (project: string, app: Record<string, unknown>) => {
    const input = await inputIn(project, [app]);
    const r = renderExport('k8s', input);
    const [deployment] = parseAllDocuments(r.files[0]?.content ?? '').map((d) => d.toJS());
    return { probe: deployment.spec.template.spec.containers[0].readinessProbe, warnings: r.warnings };
  };

  test('cwd sub/: the command changes into sub/ first, and passes from the WORKDIR as tend runs it', async () => {
    const project = join(dir, 'probe');
    for (const command of ['test -f ready.flag', ['test', '-f', 'ready.flag']]) {
      const { probe, warnings } = await probeOf(project, {
        name: 'api',
        cwd: 'sub',
        script: 'app.js',
        readiness_probe: { exec: { command } },
      });
      const argv = probe.exec.command as string[];
      assert.deepEqual(argv.slice(0, 4), ['/bin/sh', '-c', 'cd -- "$0" && exec "$@"', 'sub']);
      assert.deepEqual(warnings, []);
      // The kubelet runs argv in the container's working directory: the project here stands for /app.
      const run = () => spawnSync(argv[0] as string, argv.slice(1), { cwd: project }).status;
      assert.notEqual(run(), 0, 'no ready.flag yet');
      writeFileSync(join(project, 'sub', 'ready.flag'), '');
      assert.equal(run(), 0, JSON.stringify(argv));
      // The same probe as tend runs it, in the app's cwd, agrees.
      const words = typeof command === 'string' ? ['/bin/sh', '-c', command] : command;
      assert.equal(spawnSync(words[0] as string, words.slice(1), { cwd: join(project, 'sub') }).status, 0);
      rmSync(join(project, 'sub', 'ready.flag'));
    }
  });

  test('the cwd is the WORKDIR: the command as written; a host-path cwd: warned', async () => {
    const same = await probeOf(join(dir, 'probe2'), {
      name: 'api',
      script: 'app.js',
      readiness_probe: { exec: { command: 'test -f ready.flag' } },
    });
    assert.deepEqual(same.probe.exec.command, ['/bin/sh', '-c', 'test -f ready.flag']);
    const project = join(dir, 'probe3');
    const abs = await probeOf(project, {
      name: 'api',
      cwd: join(project, 'sub'),
      script: 'app.js',
      readiness_probe: { exec: { command: 'test -f ready.flag' } },
    });
    assert.deepEqual(abs.probe.exec.command, ['/bin/sh', '-c', 'test -f ready.flag']);
    assert.ok(
      abs.warnings.some(
        (w) => w.field === 'readiness_probe' && /runs it in the image's WORKDIR/.test(w.message),
      ),
      JSON.stringify(abs.warnings),
    );
  });
});
