// The header records every flag that changes the output (the audit: two exports with different --env or
// --image carried the same header), and systemd's the version the units were made for. The ecosystem
// file's path in the image is its path relative to the current directory, the build context (the audit:
// `tend export k8s config/ecosystem.config.js` ran `tend-runtime ecosystem.config.js`, not in the image;
// compose wrote `build: config`).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import type { ExportInput, ExportTarget } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
import { appsFixtures, EXPORT_FIXTURES, inputOf, loadFixture } from './support.js';

const { dir } = appsFixtures('tend-export-header-');

const header = (target: ExportTarget, input: ExportInput) =>
  (renderExport(target, input).files[0]?.content ?? '')
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .join('\n');

describe('the header', () => {
  test('every flag that changes the output is in it: two different exports, two headers', async () => {
    const loaded = await loadFixture();
    const base = inputOf(loaded, { image: 'shop:1.4' });
    const variants: Record<ExportTarget, Partial<ExportInput>[]> = {
      systemd: [{ envName: 'production' }, { only: ['api'] }, { systemdVersion: 255 }, { user: 'api' }],
      k8s: [{ envName: 'production' }, { only: ['api'] }, { image: 'shop:1.5' }],
      compose: [
        { envName: 'production' },
        { only: ['api'] },
        { image: 'shop:1.5' },
        { outDir: join(dir, 'deploy') },
      ],
    };
    for (const [target, overs] of Object.entries(variants) as [ExportTarget, Partial<ExportInput>[]][]) {
      const plain = header(target, base);
      assert.equal(header(target, inputOf(loaded, { image: 'shop:1.4' })), plain, `${target}: same flags`);
      for (const over of overs)
        assert.notEqual(header(target, { ...base, ...over }), plain, `${target}: ${JSON.stringify(over)}`);
    }
    assert.match(
      header('k8s', { ...base, envName: 'production', only: ['api', 'worker'] }),
      /^# options: --env production --only api,worker --image shop:1\.4$/m,
    );
  });

  test('systemd: the version the units were made for, the default one (this machine) included', async () => {
    const loaded = await loadFixture();
    assert.match(header('systemd', inputOf(loaded, { systemdVersion: 252 })), /^# Made for systemd 252 /m);
    assert.match(
      header('systemd', inputOf(loaded, { systemdVersion: null })),
      /^# Made for an unknown systemd version/m,
    );
  });
});

describe("the ecosystem file's path in the image: relative to the current directory", () => {
  const project = join(dir, 'project');
  mkdirSync(join(project, 'config'), { recursive: true });
  const file = join(project, 'config', 'ecosystem.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      apps: [{ name: 'web', script: join(EXPORT_FIXTURES, 'app.cjs'), env: { PORT: 3000 } }],
    }),
  );

  test('k8s and compose run config/ecosystem.config.json; compose builds the current directory', async () => {
    const input = inputOf(await loadFixture(file, { cwd: project }), { image: null });
    const [deployment] = parseAllDocuments(renderExport('k8s', input).files[0]?.content ?? '').map((d) =>
      d.toJS(),
    );
    assert.deepEqual(deployment.spec.template.spec.containers[0].command.slice(0, 2), [
      'tend-runtime',
      'config/ecosystem.config.json',
    ]);
    const compose = renderExport('compose', input);
    const web = parse(compose.files[0]?.content ?? '').services.web;
    assert.equal(web.build, '.');
    assert.deepEqual(web.command.slice(0, 2), ['tend-runtime', 'config/ecosystem.config.json']);
    // --out deploy/: compose resolves build from the compose file's folder.
    const out = renderExport('compose', { ...input, outDir: join(project, 'deploy') });
    assert.equal(parse(out.files[0]?.content ?? '').services.web.build, '..');
    assert.deepEqual(compose.warnings, []);
  });

  test('a file outside the current directory: its name, and a warning', async () => {
    const input = inputOf(await loadFixture(file, { cwd: join(project, 'elsewhere') }), { image: 'shop:1' });
    for (const target of ['k8s', 'compose'] as const) {
      const r = renderExport(target, input);
      assert.match(r.files[0]?.content ?? '', /- ecosystem\.config\.json$/m);
      assert.deepEqual(
        r.warnings.filter((w) => w.field === 'ecosystem file').map((w) => w.app),
        ['*'],
        target,
      );
      assert.match(r.warnings[0]?.message ?? '', /is outside the current directory/);
    }
  });
});
