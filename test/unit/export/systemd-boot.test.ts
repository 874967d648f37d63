// What an exported unit does to the boot (sixth audit). multi-user.target is ordered after every unit it
// wants (WantedBy=), so a unit whose start-up never ends holds the boot: a readiness probe that never passed
// (TimeoutStartSec=infinity) kept multi-user.target "starting" forever, and a scheduled one-shot's
// Type=oneshot service (WantedBy=multi-user.target, as tend runs a one-shot at start; systemd gives a
// oneshot no start timeout) held it for its whole run, and forever if the job hung. Now TimeoutStartSec= is
// always bounded, and only a one-shot another app waits to complete is Type=oneshot.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { checkExport } from '../../../src/export/check.js';
import { renderExport } from '../../../src/export/render.js';
import { appsFixtures } from './support.js';

const { script, inputFor } = appsFixtures('tend-export-boot-');
const noSystemd = spawnSync('systemd-analyze', ['--version']).error
  ? 'systemd-analyze is not installed'
  : false;
const runtime = { node: process.execPath, entry: script };

const APPS = [
  // A readiness probe alone: tend waits without a deadline.
  {
    name: 'web',
    readiness_probe: { tcp_socket: { port: 3000 }, period_seconds: 5, failure_threshold: 4 },
  },
  // Scheduled one-shots: nobody waits for `nightly`; `report` is waited for by `api`.
  { name: 'nightly', autorestart: false, cron_restart: '0 3 * * *' },
  { name: 'report', autorestart: false, cron_restart: '0 4 * * *' },
  // A one-shot without a schedule, waited for; one nobody waits for.
  { name: 'migrate', autorestart: false },
  { name: 'cleanup', autorestart: false },
  {
    name: 'api',
    depends_on: {
      report: { condition: 'process_completed' },
      migrate: { condition: 'process_completed_successfully' },
    },
  },
];

async function units() {
  const r = renderExport('systemd', await inputFor(APPS, { runtime }));
  return { files: r.files, of: (name: string) => r.files.find((f) => f.name === name)?.content ?? '' };
}
const service = (unit: string) => unit.slice(unit.indexOf('[Service]'), unit.indexOf('[Install]'));

describe('no exported unit holds the boot without a bound', () => {
  test('a readiness probe alone: TimeoutStartSec= its first window + 5 s, not infinity', async () => {
    const { of } = await units();
    assert.match(of('web.service'), /^Type=notify$/m);
    // 0 + 5 s × 4 + 5 s.
    assert.match(of('web.service'), /^TimeoutStartSec=25$/m);
    assert.doesNotMatch(of('web.service'), /infinity/);
  });

  test('a scheduled one-shot nobody waits for: Type=exec (its start ends once it runs), still WantedBy= the boot', async () => {
    const { of } = await units();
    const unit = of('nightly.service');
    assert.match(service(unit), /^Type=exec$/m);
    assert.doesNotMatch(unit, /Type=oneshot|RemainAfterExit/);
    assert.match(unit, /--no-cron/);
    assert.match(unit, /^WantedBy=multi-user.target$/m);
    assert.match(of('nightly.timer'), /^Unit=nightly.service$/m);
    assert.match(of('nightly.timer'), /^WantedBy=timers.target$/m);
  });

  test('a scheduled one-shot another app waits to complete: Type=oneshot, RemainAfterExit=no (the timer starts it again)', async () => {
    const { of } = await units();
    assert.match(of('report.service'), /^Type=oneshot\nRemainAfterExit=no$/m);
    assert.match(of('api.service'), /^After=network-online.target migrate.service report.service$/m);
  });

  test('a one-shot without a schedule: Type=oneshot when waited for, Type=exec otherwise', async () => {
    const { of } = await units();
    assert.match(of('migrate.service'), /^Type=oneshot\nRemainAfterExit=yes$/m);
    assert.match(of('cleanup.service'), /^Type=exec$/m);
    assert.doesNotMatch(of('cleanup.service'), /RemainAfterExit/);
  });

  test('systemd-analyze verify accepts them', { skip: noSystemd }, async () => {
    const { files } = await units();
    const report = await checkExport('systemd', files, { systemdVersion: 252 });
    assert.equal(report.ran, true);
    assert.deepEqual(report.findings, []);
  });
});
