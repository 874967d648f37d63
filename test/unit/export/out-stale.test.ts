// `--out DIR` again after the ecosystem file changed (eighth audit): a file an earlier export of the same
// file wrote there, which this export no longer produces (a timer whose cron_restart is gone, the unit of an
// app removed or renamed), is warned by name with the commands that remove it, and left in place. Files of
// another ecosystem file, another target or another --only, links, directories and files tend did not
// write are not.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ExportTarget, ExportWarning } from '../../../src/export/model.js';
import { type ExportFlags, runExport } from '../../../src/export/run.js';
import { VERSION } from '../../../src/version.js';
import { appsFixtures, EXPORT_FIXTURES } from './support.js';

const { dir, script } = appsFixtures('tend-export-stale-');

function ecosystem(name: string, apps: Record<string, unknown>[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ apps: apps.map((a) => ({ script, ...a })) }));
  return file;
}

async function exportTo(
  file: string,
  out: string,
  flags: ExportFlags = {},
  target: ExportTarget = 'systemd',
): Promise<{ warnings: ExportWarning[]; stdout: string }> {
  const warnings: ExportWarning[] = [];
  let stdout = '';
  await runExport(
    target,
    file,
    { out, ...(target === 'systemd' ? { systemdVersion: 252 } : { image: 'img:1' }), ...flags },
    {
      version: VERSION,
      runtime: { node: process.execPath, entry: join(EXPORT_FIXTURES, 'app.cjs') },
      localSystemdVersion: () => 252,
      env: { ...process.env, TEND_HOME: join(dir, 'home'), TEND_SYSTEMD_UNIT_DIRS: join(dir, 'none') },
      stdout: (text) => {
        stdout += text;
      },
      stderr: () => {},
      warn: (w) => warnings.push(w),
    },
  );
  return { warnings, stdout };
}

const staleOf = (warnings: readonly ExportWarning[]) =>
  warnings.filter((w) => w.field === '--out').map((w) => `${w.app}: ${w.message}`);

test('a timer no longer produced (its cron_restart removed): warned with the commands, not removed', async () => {
  const report = { name: 'report', autorestart: false };
  const file = ecosystem('t.json', [{ ...report, cron_restart: '0 3 * * *' }]);
  const out = join(dir, 'units');
  await exportTo(file, out);
  assert.deepEqual(readdirSync(out).sort(), ['report.service', 'report.timer']);
  const timer = readFileSync(join(out, 'report.timer'), 'utf8');
  ecosystem('t.json', [report]);
  const { warnings } = await exportTo(file, out);
  assert.deepEqual(staleOf(warnings), [
    `*: ${out}/report.timer was written by an earlier export of ${file} and is not produced now: remove it (if it was enabled: systemctl disable --now report.timer; then rm ${out}/report.timer)`,
  ]);
  // Left as it was: it may be enabled, or kept on purpose.
  assert.equal(readFileSync(join(out, 'report.timer'), 'utf8'), timer);
  // Written again as it is: nothing stale.
  ecosystem('t.json', [{ ...report, cron_restart: '0 3 * * *' }]);
  assert.deepEqual(staleOf((await exportTo(file, out)).warnings), []);
});

test("an app removed or renamed: its unit is warned; the other apps' units are not", async () => {
  const file = ecosystem('r.json', [{ name: 'api' }, { name: 'worker' }, { name: 'mailer' }]);
  const out = join(dir, 'renamed');
  await exportTo(file, out);
  ecosystem('r.json', [{ name: 'api' }, { name: 'queue-worker' }]);
  const stale = staleOf((await exportTo(file, out)).warnings);
  assert.deepEqual(
    stale.map((s) => s.replace(/ was written by .*/, '')),
    [`*: ${out}/mailer.service`, `*: ${out}/worker.service`],
  );
  assert.ok(existsSync(join(out, 'worker.service')) && existsSync(join(out, 'mailer.service')));
});

test('not warned: another file, another target, another --only, a link, a directory, a file of the operator', async () => {
  const file = ecosystem('o.json', [{ name: 'api' }, { name: 'web' }]);
  const other = ecosystem('other.json', [{ name: 'billing' }]);
  const out = join(dir, 'shared');
  await exportTo(file, out);
  await exportTo(other, out);
  await exportTo(file, out, {}, 'compose');
  // A link to a stale tend export and a directory holding one: neither followed nor entered.
  const aside = join(dir, 'aside');
  await exportTo(file, aside);
  symlinkSync(join(aside, 'web.service'), join(out, 'linked.service'));
  mkdirSync(join(out, 'sub'));
  writeFileSync(join(out, 'sub', 'web.service'), readFileSync(join(aside, 'web.service')));
  writeFileSync(join(out, 'mine.service'), '[Unit]\nDescription=the operator\n');
  // --only api: an export of some apps does not make web.service stale.
  assert.deepEqual(staleOf((await exportTo(file, out, { only: 'api' })).warnings), []);
  // The same selection again, after web left the file: stale is what the full export wrote.
  ecosystem('o.json', [{ name: 'api' }]);
  assert.deepEqual(
    staleOf((await exportTo(file, out)).warnings).map((s) => s.replace(/ was written by .*/, '')),
    [`*: ${out}/web.service`],
  );
  // billing.service (other.json), compose.yaml (compose) and the rest are still there, unwarned.
  assert.deepEqual(readdirSync(out).sort(), [
    'api.service',
    'billing.service',
    'compose.yaml',
    'linked.service',
    'mine.service',
    'sub',
    'web.service',
  ]);
});

test('the rm command quotes a path with a blank for the shell; a compose export says nothing of the units', async () => {
  const file = ecosystem('q.json', [{ name: 'api' }, { name: 'web' }]);
  const out = join(dir, 'with blank');
  await exportTo(file, out);
  ecosystem('q.json', [{ name: 'api' }]);
  assert.deepEqual(staleOf((await exportTo(file, out)).warnings), [
    `*: ${out}/web.service was written by an earlier export of ${file} and is not produced now: remove it (if it was enabled: systemctl disable --now web.service; then rm '${out}/web.service')`,
  ]);
  assert.deepEqual(staleOf((await exportTo(file, out, {}, 'compose')).warnings), []);
});

test('the same ecosystem file through a symbolic link (a release link) is the same source', async () => {
  const real = ecosystem('linked.json', [{ name: 'api' }, { name: 'old' }]);
  const link = join(dir, 'current.json');
  symlinkSync(real, link);
  const out = join(dir, 'linked-out');
  await exportTo(real, out);
  ecosystem('linked.json', [{ name: 'api' }]);
  const stale = staleOf((await exportTo(link, out)).warnings);
  assert.deepEqual(
    stale.map((s) => s.replace(/ was written by .*/, '')),
    [`*: ${out}/old.service`],
  );
});
