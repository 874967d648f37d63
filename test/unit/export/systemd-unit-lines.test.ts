// What systemd reads otherwise than tend wrote it (fifth audit): a value ending in a backslash joins the next
// line (systemd.syntax(7)) and the directive there is lost; a unit name of 256 characters or more is not a
// unit name (and --check crashed with ENAMETOOLONG); an env name systemd does not take is ignored with a
// warning at every load; a unit name starting with "-" is read by systemctl as an option.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkExport } from '../../../src/export/check.js';
import { renderExport } from '../../../src/export/render.js';
import { unitName } from '../../../src/export/systemd.js';
import { TendError } from '../../../src/protocol/errors.js';
import { appsFixtures } from './support.js';

const { dir, script, inputFor } = appsFixtures('tend-export-unit-lines-');
const noSystemd = spawnSync('systemd-analyze', ['--version']).error
  ? 'systemd-analyze is not installed'
  : false;

const unitOf = async (app: Record<string, unknown>, name = app.name as string) => {
  const r = renderExport(
    'systemd',
    await inputFor([app], { runtime: { node: process.execPath, entry: script } }),
  );
  return { unit: r.files.find((f) => f.name === `${name}.service`)?.content ?? '', warnings: r.warnings };
};

describe('a trailing backslash never joins two lines of a unit', () => {
  const cwd = join(dir, 'bs\\');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'x.env\\'), 'A=1\n');

  test('a cwd ending in a backslash: WorkingDirectory= gets a "/" after it; no directive line ends in one', async () => {
    const { unit } = await unitOf({ name: 'w', cwd });
    assert.match(unit, new RegExp(`^WorkingDirectory=${dir}/bs\\\\/$`, 'm'));
    assert.doesNotMatch(unit, /^[^#\n].*\\$/m);
    // The next line is still a directive of its own.
    assert.match(unit, /^WorkingDirectory=.*\nEnvironment=PATH=/m);
  });

  test('systemd-analyze verify sees the directive after WorkingDirectory=', { skip: noSystemd }, async () => {
    const { unit } = await unitOf({ name: 'w', cwd });
    // A key systemd does not know, right after: verify names it only if that line is read on its own.
    const probe = unit.replace(/^(WorkingDirectory=.*)$/m, '$1\nBogusKeyAfterCwd=1');
    const file = join(dir, 'w.service');
    writeFileSync(file, probe);
    const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    assert.match(r.stderr, /Unknown key 'BogusKeyAfterCwd'/);
    writeFileSync(file, unit);
    assert.equal(spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' }).stderr, '');
  });

  test('an env_file path ending in a backslash: refused, coded, naming the field', async () => {
    const input = await inputFor([{ name: 'w', cwd, env_file: 'x.env\\' }]);
    assert.throws(
      () => renderExport('systemd', input),
      (err: unknown) => {
        assert.ok(err instanceof TendError);
        assert.equal(err.code, 'TEND_ERR_EXPORT_UNSAFE_VALUE');
        assert.equal(err.data.field, 'env_file[0]');
        assert.match(err.message, /ends in a backslash, which joins the unit's next line/);
        return true;
      },
    );
  });
});

describe('unit names systemd and systemctl take', () => {
  test('an app whose unit name would pass 255 characters: refused up front, coded', async () => {
    const ok = await unitOf({ name: 'a'.repeat(247) });
    assert.ok(ok.unit.length > 0);
    const input = await inputFor([{ name: 'a'.repeat(248) }]);
    assert.throws(
      () => renderExport('systemd', input),
      (err: unknown) => {
        assert.ok(err instanceof TendError);
        assert.equal(err.code, 'TEND_ERR_EXPORT_UNSAFE_VALUE');
        assert.equal(err.data.field, 'name');
        assert.match(err.message, /\(256 characters\); systemd takes unit names of at most 255/);
        return true;
      },
    );
  });

  test('--check on a file name too long for the file system: a finding, not an uncoded ENAMETOOLONG', async () => {
    const report = await checkExport('systemd', [
      { name: `${'a'.repeat(300)}.service`, content: '[Unit]\n' },
    ]);
    assert.equal(report.ran, true);
    assert.match(report.findings.join('\n'), /cannot be written \(ENAMETOOLONG\)/);
  });

  test('a leading "-" is dropped (systemctl would read -x.service as an option), with a warning', async () => {
    assert.equal(unitName('@x'), 'x');
    assert.equal(unitName('-lead'), 'lead');
    assert.equal(unitName('日本'), 'app');
    assert.equal(unitName('$(id)'), 'id-');
    const { unit, warnings } = await unitOf({ name: '-lead' }, 'lead');
    assert.match(unit, /^ExecStart=.* --only=-lead /m);
    assert.match(unit, /^SyslogIdentifier=lead$/m);
    assert.deepEqual(
      warnings.filter((w) => w.field === 'name').map((w) => w.message),
      ["not a valid unit name (systemctl reads a leading '-' as an option): the unit is lead.service"],
    );
    // Two apps that become one unit name: refused, as any other clash.
    const both = await inputFor([{ name: '-lead' }, { name: 'lead' }]);
    assert.throws(() => renderExport('systemd', both), { code: 'TEND_ERR_EXPORT_NAME_CLASH' });
  });

  test('a leading "." is dropped (systemd skips dot-files when it looks units up), with a warning', async () => {
    assert.equal(unitName('.hidden'), 'hidden');
    assert.equal(unitName('-.x'), 'x');
    assert.equal(unitName('.-x'), 'x');
    assert.equal(unitName('a.b'), 'a.b');
    const r = renderExport('systemd', await inputFor([{ name: '.hidden' }, { name: '.-both' }]));
    assert.deepEqual(
      r.files.map((f) => f.name),
      ['hidden.service', 'both.service'],
    );
    assert.match(r.files[0]?.content ?? '', /^ExecStart=.* --only=\.hidden /m);
    assert.deepEqual(
      r.warnings.filter((w) => w.field === 'name').map((w) => `${w.app}: ${w.message}`),
      [
        '.hidden: not a valid unit name (systemd skips unit files whose names start with a dot): the unit is hidden.service',
        ".-both: not a valid unit name (systemctl reads a leading '-' as an option; systemd skips unit files whose names start with a dot): the unit is both.service",
      ],
    );
    const both = await inputFor([{ name: '.hidden' }, { name: 'hidden' }]);
    assert.throws(() => renderExport('systemd', both), { code: 'TEND_ERR_EXPORT_NAME_CLASH' });
  });

  test('a ":" becomes "-" (systemd-analyze verify reads FILE:ALIAS): warned, clash-checked, verify clean', async () => {
    assert.equal(unitName('worker:email'), 'worker-email');
    const r = renderExport(
      'systemd',
      await inputFor([{ name: 'worker:email' }, { name: 'api', depends_on: ['worker:email'] }], {
        runtime: { node: process.execPath, entry: script },
      }),
    );
    assert.deepEqual(
      r.files.map((f) => f.name),
      ['worker-email.service', 'api.service'],
    );
    const [worker, api] = r.files.map((f) => f.content);
    // The app keeps its name for tend-runtime; the unit, the journal and the dependents use the unit's.
    assert.match(worker ?? '', /^ExecStart=.* --only=worker:email /m);
    assert.match(worker ?? '', /^SyslogIdentifier=worker-email$/m);
    assert.match(api ?? '', /^After=network-online\.target worker-email\.service$/m);
    assert.match(api ?? '', /^Requires=worker-email\.service$/m);
    assert.deepEqual(
      r.warnings.filter((w) => w.field === 'name').map((w) => `${w.app}: ${w.message}`),
      [
        `worker:email: not a unit name every systemd tool takes (systemd-analyze verify reads a ':' in a unit file's path as FILE:ALIAS and fails ("Couldn't process aliases")): the unit is worker-email.service`,
      ],
    );
    const both = await inputFor([{ name: 'worker:email' }, { name: 'worker-email' }]);
    assert.throws(() => renderExport('systemd', both), { code: 'TEND_ERR_EXPORT_NAME_CLASH' });
    if (noSystemd) return;
    // The export's own --check, and verify as a user runs it on the files: clean, stderr empty.
    const report = await checkExport('systemd', r.files, { systemdVersion: 252 });
    assert.deepEqual([report.ran, report.findings], [true, []]);
    const out = join(dir, 'colon');
    mkdirSync(out);
    for (const f of r.files) writeFileSync(join(out, f.name), f.content);
    const verify = spawnSync('systemd-analyze', ['verify', ...r.files.map((f) => join(out, f.name))], {
      encoding: 'utf8',
    });
    assert.equal(verify.stderr, '');
    assert.equal(verify.status, 0);
  });
});

describe('env names systemd does not take', () => {
  test('left out of Environment= with a warning; the unit verifies clean', async () => {
    const { unit, warnings } = await unitOf({
      name: 'v',
      env: { 'my-var': 'v', 'a.b': 'x', OK_1: 'y', '1X': 'z', 'db-password': 'hunter2' },
    });
    assert.match(unit, /^Environment=OK_1=y$/m);
    assert.doesNotMatch(unit, /my-var|a\.b=|1X=|db-password/);
    assert.deepEqual(
      warnings.filter((w) => w.field.startsWith('env.')).map((w) => w.field),
      ['env.1X, env.a.b, env.my-var', 'env.db-password'],
    );
    assert.match(
      warnings.find((w) => w.field === 'env.db-password')?.message ?? '',
      /looks secret, but is not a name systemd takes/,
    );
    if (!noSystemd) {
      const file = join(dir, 'v.service');
      writeFileSync(file, unit);
      assert.equal(spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' }).stderr, '');
    }
  });
});
