// `--check` on units made for a newer systemd than this machine's (the audit: --systemd-version 255 wrote
// RestartSteps=, which this machine's systemd-analyze 252 reports as an unknown key: the check failed a
// correct export). The keys the local version does not know and the target does are skipped, and a note
// says so; anything else is still a finding. The target version comes from --systemd-version, or from the
// header, which says what the units were made for.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkExport } from '../../../src/export/check.js';
import { renderExport } from '../../../src/export/render.js';
import { EXPORT_FIXTURES, inputOf, loadFixture } from './support.js';

const version = Number(
  /^systemd (\d+)/.exec(spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1],
);
const skip = !(version > 0)
  ? 'systemd-analyze is not installed'
  : version >= 254
    ? `this machine's systemd (${version}) knows RestartSteps=`
    : false;

async function units(systemdVersion: number) {
  const input = inputOf(await loadFixture(), {
    systemdVersion,
    user: 'root',
    runtime: { node: process.execPath, entry: join(EXPORT_FIXTURES, 'app.cjs') },
  });
  return renderExport('systemd', input).files;
}

describe('--check for a newer systemd than this one', { skip }, () => {
  test('RestartSteps= for a 255 target: not a finding, a note says what was not checked', async () => {
    const files = await units(255);
    assert.match(files.map((f) => f.content).join(''), /^RestartSteps=/m);
    // From the option, and from the header alone (the CLI's call).
    for (const report of [
      await checkExport('systemd', files, { systemdVersion: 255 }),
      await checkExport('systemd', files),
    ]) {
      assert.equal(report.ran, true);
      assert.deepEqual(report.findings, []);
      assert.deepEqual(report.notes, [
        `this machine's systemd is ${version}, the units are for 255: RestartMaxDelaySec=, RestartSteps= (systemd ≥ 254) not checked`,
      ]);
    }
  });

  test('any other unknown key is still a finding, and so is RestartSteps= in a unit made for this version', async () => {
    const files = (await units(255)).map((f) => ({
      ...f,
      content: f.content.replace('KillMode=mixed', 'KillMode=mixed\nRestartBogus=1'),
    }));
    const report = await checkExport('systemd', files);
    assert.ok(
      report.findings.some((l) => /Unknown key 'RestartBogus'/.test(l)),
      report.findings.join('\n'),
    );
    assert.ok(!report.findings.some((l) => /RestartSteps/.test(l)));
    const old = (await units(version)).map((f) => ({
      ...f,
      content: f.content.replace('KillMode=mixed', 'KillMode=mixed\nRestartSteps=3'),
    }));
    const strict = await checkExport('systemd', old);
    assert.ok(
      strict.findings.some((l) => /Unknown key 'RestartSteps'/.test(l)),
      strict.findings.join('\n'),
    );
  });
});
