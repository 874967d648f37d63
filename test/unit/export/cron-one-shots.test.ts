// A one-shot (`autorestart: false`) with cron_restart that another app waits to complete (the audit: under
// systemd the unit was Type=oneshot but tend-runtime kept the schedule and never exited, so the dependent
// waited forever; compose wrote service_completed_successfully, which never fired). systemd: the schedule
// becomes a timer and the one-shot runs once per start (--no-cron), verified by systemd-analyze; where
// OnCalendar= cannot say the schedule exactly, tend-runtime keeps it, Type=exec, and the warning says the
// dependents cannot wait. compose: the waited-on one-shot runs once, and the schedule is warned as lost.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { renderExport } from '../../../src/export/render.js';
import { appsFixtures, EXPORT_FIXTURES } from './support.js';

const { dir, inputFor } = appsFixtures('tend-export-cron-');
const noSystemd = spawnSync('systemd-analyze', ['--version']).error
  ? 'systemd-analyze is not installed'
  : false;

const apps = (cron: string) => [
  { name: 'report', autorestart: false, cron_restart: cron, cron_restart_tz: 'Europe/Paris' },
  { name: 'api', depends_on: { report: { condition: 'process_completed_successfully' } } },
];

const fields = (warnings: readonly { app: string; field: string }[]) =>
  warnings.map((w) => `${w.app}: ${w.field}`);

describe('systemd', () => {
  test("a schedule written with a line break (croner's fields are any whitespace apart): one comment line, verify is clean (tenth audit)", {
    skip: noSystemd,
  }, async () => {
    const input = await inputFor(apps('0 4 * *\n1-5'), {
      user: 'root',
      runtime: { node: process.execPath, entry: join(EXPORT_FIXTURES, 'app.cjs') },
    });
    const r = renderExport('systemd', input);
    const timer = r.files.find((f) => f.name === 'report.timer')?.content ?? '';
    assert.match(timer, /^# cron_restart: 0 4 \* \* 1-5 \(cron_restart_tz Europe\/Paris\)$/m);
    const nl = join(dir, 'line-break');
    mkdirSync(nl, { recursive: true });
    for (const f of r.files) writeFileSync(join(nl, f.name), f.content);
    const verify = spawnSync('systemd-analyze', ['verify', ...r.files.map((f) => join(nl, f.name))], {
      encoding: 'utf8',
    });
    assert.equal(verify.stderr, '');
  });

  test('a translatable schedule: Type=oneshot run with --no-cron, and report.timer; verify is clean', {
    skip: noSystemd,
  }, async () => {
    const input = await inputFor(apps('0 4 * * 1-5'), {
      user: 'root',
      runtime: { node: process.execPath, entry: join(EXPORT_FIXTURES, 'app.cjs') },
    });
    const r = renderExport('systemd', input);
    assert.deepEqual(
      r.files.map((f) => f.name),
      ['report.service', 'report.timer', 'api.service'],
    );
    const [service, timer, api] = r.files.map((f) => f.content);
    assert.match(service ?? '', /^Type=oneshot\nRemainAfterExit=no\n/m);
    assert.match(service ?? '', /^ExecStart=.* --only=report --no-deps --secrets-from-env --no-cron /m);
    assert.match(service ?? '', /^StartLimitIntervalSec=0$/m);
    assert.match(timer ?? '', /^OnCalendar=Mon\.\.Fri \*-\*-\* 04:00:00 Europe\/Paris$/m);
    assert.match(timer ?? '', /^Unit=report\.service$/m);
    assert.match(timer ?? '', /^WantedBy=timers\.target$/m);
    // After= on a Type=oneshot unit waits for it to complete: no warning for the dependent, none for cron.
    assert.match(api ?? '', /^After=network-online\.target report\.service$/m);
    assert.deepEqual(fields(r.warnings), []);
    for (const f of r.files) writeFileSync(join(dir, f.name), f.content);
    const verify = spawnSync('systemd-analyze', ['verify', ...r.files.map((f) => join(dir, f.name))], {
      encoding: 'utf8',
    });
    assert.equal(verify.stderr, '');
    assert.equal(verify.status, 0);
    const calendar = /^OnCalendar=(.*)$/m.exec(timer ?? '')?.[1] ?? '';
    const cal = spawnSync('systemd-analyze', ['calendar', calendar], { encoding: 'utf8' });
    assert.equal(cal.stderr, '');
    assert.equal(cal.status, 0);
  });

  test('a schedule OnCalendar= cannot say: kept by tend-runtime, Type=exec, no timer, and the warnings say the dependents cannot wait', async () => {
    for (const cron of ['0 3 1 * 1', '0 0 L * *', '0 0 * * 5#2']) {
      const r = renderExport('systemd', await inputFor(apps(cron)));
      assert.deepEqual(
        r.files.map((f) => f.name),
        ['report.service', 'api.service'],
        cron,
      );
      const service = r.files[0]?.content ?? '';
      assert.match(service, /^Type=exec$/m, cron);
      assert.doesNotMatch(service, /--no-cron/, cron);
      assert.deepEqual(fields(r.warnings), ['report: cron_restart', 'api: depends_on.report'], cron);
      assert.match(r.warnings[0]?.message ?? '', /apps that wait for this one-shot to complete cannot/);
    }
  });

  test('a scheduled one-shot nobody waits for gets its timer too; a one-shot without a schedule stays RemainAfterExit=yes', async () => {
    const r = renderExport(
      'systemd',
      await inputFor([
        { name: 'nightly', autorestart: false, cron_restart: '0 3 * * *' },
        { name: 'migrate', autorestart: false },
        { name: 'web', depends_on: { migrate: { condition: 'process_completed_successfully' } } },
      ]),
    );
    assert.deepEqual(
      r.files.map((f) => f.name),
      ['nightly.service', 'nightly.timer', 'migrate.service', 'web.service'],
    );
    assert.match(r.files[1]?.content ?? '', /^OnCalendar=\*-\*-\* 03:00:00$/m);
    assert.match(r.files[2]?.content ?? '', /^Type=oneshot\nRemainAfterExit=yes$/m);
  });

  test('MON-SUN is Monday to Sunday, as croner reads it: a timer, no "runs backwards" (eighth audit)', async () => {
    const r = renderExport(
      'systemd',
      await inputFor([{ name: 'weekly', autorestart: false, cron_restart: '0 0 * * MON-SUN' }]),
    );
    assert.deepEqual(
      r.files.map((f) => f.name),
      ['weekly.service', 'weekly.timer'],
    );
    assert.match(r.files[1]?.content ?? '', /^OnCalendar=\*-\*-\* 00:00:00$/m);
    assert.deepEqual(
      r.warnings.filter((w) => w.field === 'cron_restart').map((w) => w.message),
      [],
    );
  });
});

describe('compose', () => {
  test('a scheduled one-shot others wait to complete runs once (--no-cron, restart "no"), warned', async () => {
    const r = renderExport('compose', await inputFor(apps('0 4 * * 1-5')));
    const services = parse(r.files[0]?.content ?? '').services;
    assert.ok(services.report.command.includes('--no-cron'));
    assert.equal(services.report.restart, 'no');
    assert.deepEqual(services.api.depends_on.report.condition, 'service_completed_successfully');
    assert.deepEqual(fields(r.warnings), ['report: cron_restart']);
    assert.match(r.warnings[0]?.message ?? '', /runs once .*host's cron or a systemd timer/);
  });

  test("nobody waits for it: the schedule stays tend-runtime's, as before", async () => {
    const r = renderExport('compose', await inputFor([apps('0 4 * * 1-5')[0] as Record<string, unknown>]));
    const services = parse(r.files[0]?.content ?? '').services;
    assert.ok(!services.report.command.includes('--no-cron'));
    assert.match(r.warnings[0]?.message ?? '', /kept by tend-runtime in the container/);
  });
});
