// `tend export --check --out DIR`: the validators run before anything is written, and findings leave DIR as
// it was (the audit: the units were written into the directory first, then the check failed, leaving
// invalid units in place, e.g. in /etc/systemd/system). runExport (src/export/run.ts) is the whole command
// the CLI calls.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ExportWarning } from '../../../src/export/model.js';
import { type ExportContext, runExport } from '../../../src/export/run.js';
import { TendError } from '../../../src/protocol/errors.js';
import { VERSION } from '../../../src/version.js';
import { appsFixtures, ECOSYSTEM, EXPORT_FIXTURES } from './support.js';

const { dir } = appsFixtures('tend-export-run-');
const noSystemd = spawnSync('systemd-analyze', ['--version']).error
  ? 'systemd-analyze is not installed'
  : false;

function context(runtime: ExportContext['runtime']) {
  const out: string[] = [];
  const err: string[] = [];
  const warnings: ExportWarning[] = [];
  const ctx: ExportContext = {
    version: VERSION,
    runtime,
    localSystemdVersion: () => 252,
    env: { ...process.env, TEND_HOME: join(dir, 'home') },
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    warn: (w) => warnings.push(w),
  };
  return { ctx, out, err, warnings };
}

describe('--check before --out', () => {
  test('findings: TEND_ERR_EXPORT_CHECK_FAILED and nothing written, not even the directory', {
    skip: noSystemd,
  }, async () => {
    // A unit whose ExecStart binary does not exist: systemd-analyze verify says so.
    const { ctx, out } = context({ node: '/nonexistent/node', entry: '/nonexistent/tend-runtime.js' });
    const outDir = join(dir, 'units-bad', 'system');
    const err = await runExport('systemd', ECOSYSTEM, { out: outDir, check: true }, ctx).then(
      () => assert.fail('no error'),
      (e: unknown) => e as TendError,
    );
    assert.ok(err instanceof TendError);
    assert.equal(err.code, 'TEND_ERR_EXPORT_CHECK_FAILED');
    assert.match(err.message, /nonexistent/);
    assert.equal(existsSync(outDir), false);
    assert.deepEqual(out, []);
  });

  test('a clean check writes the files, then says ok', { skip: noSystemd }, async () => {
    const { ctx, out, err } = context({ node: process.execPath, entry: join(EXPORT_FIXTURES, 'app.cjs') });
    const outDir = join(dir, 'units-ok');
    const r = await runExport('systemd', ECOSYSTEM, { out: outDir, check: true, user: 'root' }, ctx);
    assert.deepEqual(readdirSync(outDir).sort(), [
      'api.service',
      'migrate.service',
      'report.service',
      'report.timer',
      'worker.service',
    ]);
    assert.equal(r.written.length, 5);
    assert.equal(out.length, 5);
    assert.match(err.join(''), /^check: systemd-analyze verify: ok$/m);
  });

  test("--only '' and --only a,,b name an empty app: refused, not every app", async () => {
    const { ctx } = context({ node: process.execPath, entry: join(EXPORT_FIXTURES, 'app.cjs') });
    for (const only of ['', 'api,,worker'])
      await assert.rejects(runExport('compose', ECOSYSTEM, { only }, ctx), {
        code: 'TEND_ERR_CONFIG_INVALID',
        message: '--only: expected comma-separated app names, got an empty name',
      });
  });
});
