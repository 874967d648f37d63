// The flags of `tend export` that the audit found taken without a word: a --systemd-version too old for the
// units (Type=exec needs 240) or no version at all (1e20 in the header), an empty --env (`# options: --env `
// and no --env in the command), --env naming a section no app has (tend start notes it, the export did
// not), --user for k8s and compose (systemd's only).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ExportTarget, ExportWarning } from '../../../src/export/model.js';
import { type ExportContext, type ExportFlags, runExport } from '../../../src/export/run.js';
import { TendError } from '../../../src/protocol/errors.js';
import { VERSION } from '../../../src/version.js';
import { appsFixtures, ECOSYSTEM, EXPORT_FIXTURES } from './support.js';

const { dir, script } = appsFixtures('tend-export-flags-');

async function run(
  target: ExportTarget,
  flags: ExportFlags,
  file = ECOSYSTEM,
  local: number | null = 252,
  exporter: ExportContext['exporter'] = null,
) {
  const out: string[] = [];
  const warnings: ExportWarning[] = [];
  const ctx: ExportContext = {
    version: VERSION,
    runtime: { node: process.execPath, entry: join(EXPORT_FIXTURES, 'app.cjs') },
    localSystemdVersion: () => local,
    env: { ...process.env, TEND_HOME: join(dir, 'home') },
    stdout: (t) => out.push(t),
    stderr: () => {},
    warn: (w) => warnings.push(w),
    exporter,
  };
  await runExport(target, file, flags, ctx);
  return { text: out.join(''), warnings };
}

async function refused(
  target: ExportTarget,
  flags: ExportFlags,
  local: number | null = 252,
): Promise<TendError> {
  return run(target, flags, ECOSYSTEM, local).then(
    () => assert.fail('no error'),
    (e: unknown) => {
      assert.ok(e instanceof TendError, String(e));
      return e;
    },
  );
}

describe('--systemd-version', () => {
  test('below 240 (Type=exec): refused, naming the minimum and why; 240 is fine', async () => {
    for (const v of [239, 230, 1]) {
      const e = await refused('systemd', { systemdVersion: v });
      assert.equal(e.code, 'TEND_ERR_USAGE');
      assert.equal(e.exitCode, 2);
      assert.match(
        e.message,
        new RegExp(`--systemd-version ${v}: the units need systemd ≥ 240 \\(Type=exec, 240`),
      );
    }
    assert.match((await run('systemd', { systemdVersion: 240 })).text, /^# Made for systemd 240 /m);
  });

  test('no version (0, past 9999, 1e20): refused, not written into the header', async () => {
    for (const v of [0, 10_000, Number('99999999999999999999'), 250.5]) {
      const e = await refused('systemd', { systemdVersion: v });
      assert.equal(e.code, 'TEND_ERR_USAGE');
      assert.match(e.message, /is not a systemd version \(expected 1\.\.9999/);
    }
  });

  test("this machine's systemd, when it is the target's and older than 240: refused, saying where it came from", async () => {
    const e = await refused('systemd', {}, 239);
    assert.match(
      e.message,
      /this machine's systemd is 239 \(--systemd-version N names the target's\): the units need/,
    );
    // None found: the units say the version is unknown, as before.
    assert.match((await run('systemd', {}, ECOSYSTEM, null)).text, /Made for an unknown systemd version/);
  });
});

describe('--env', () => {
  test('empty, or with a blank: refused (TEND_ERR_USAGE), nothing written', async () => {
    for (const env of ['', ' ', 'a b', 'prod\n']) {
      const e = await refused('compose', { env });
      assert.equal(e.code, 'TEND_ERR_USAGE');
      assert.match(e.message, /is not an environment name: it (is empty|holds a blank)/);
    }
  });

  test('a name no env_<name> section has: a warning per app without it, as tend start notes', async () => {
    const file = join(dir, 'staging.json');
    writeFileSync(
      file,
      JSON.stringify({
        apps: [
          { name: 'api', script, env: { A: '1' }, env_staging: { A: '2' } },
          { name: 'worker', script, env: { A: '1' } },
        ],
      }),
    );
    for (const target of ['systemd', 'k8s', 'compose'] as const) {
      const { warnings } = await run(target, { env: 'staging', image: 'img:1' }, file);
      assert.deepEqual(
        warnings.filter((w) => w.field === '--env').map((w) => `${w.app}: ${w.message}`),
        ['worker: no env_staging section; only env applies (tend-runtime --env=staging reads the same file)'],
        target,
      );
    }
    const { warnings } = await run('compose', { image: 'img:1' }, file);
    assert.deepEqual(
      warnings.filter((w) => w.field === '--env'),
      [],
    );
  });
});

describe('--out', () => {
  test('empty (`--out "$DEST"` with DEST unset): refused (TEND_ERR_USAGE), nothing printed', async () => {
    for (const target of ['systemd', 'k8s', 'compose'] as const) {
      const e = await refused(target, { out: '' });
      assert.equal(e.code, 'TEND_ERR_USAGE', target);
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /--out "" is not a directory: it is empty .*leave --out out to print them/);
    }
  });
});

describe('systemd units of a user other than root', () => {
  const bob = { uid: 1001, name: 'bob' };
  const rootWarnings = (warnings: readonly ExportWarning[]) =>
    warnings.filter((w) => w.field === 'user').map((w) => `${w.app}: ${w.message}`);

  test('no --user and no user field: each unit runs as root, warned with the fix', async () => {
    const { text, warnings } = await run('systemd', {}, ECOSYSTEM, 252, bob);
    assert.doesNotMatch(text, /^User=/m);
    assert.deepEqual(
      rootWarnings(warnings),
      ['migrate', 'api', 'worker', 'report'].map(
        (app) =>
          `${app}: no User=: the unit runs as root, where tend start runs the app as bob (uid 1001), who exports; pass --user bob (User= for every unit), or set user: in the app`,
      ),
    );
  });

  test('--user, a user field, root exporting, or nobody known: nothing to say', async () => {
    assert.deepEqual(rootWarnings((await run('systemd', { user: 'bob' }, ECOSYSTEM, 252, bob)).warnings), []);
    assert.deepEqual(
      rootWarnings((await run('systemd', {}, ECOSYSTEM, 252, { uid: 0, name: 'root' })).warnings),
      [],
    );
    assert.deepEqual(rootWarnings((await run('systemd', {}, ECOSYSTEM, 252, null)).warnings), []);
    const file = join(dir, 'user.json');
    writeFileSync(
      file,
      JSON.stringify({
        apps: [
          { name: 'a', script, user: 'www' },
          { name: 'b', script },
        ],
      }),
    );
    const { text, warnings } = await run('systemd', {}, file, 252, bob);
    assert.match(text, /^User=www$/m);
    assert.deepEqual(
      rootWarnings(warnings).map((w) => w.split(':')[0]),
      ['b'],
    );
    // k8s and compose run as the pod's or image's user: not theirs to say.
    assert.deepEqual(rootWarnings((await run('k8s', { image: 'i:1' }, ECOSYSTEM, 252, bob)).warnings), []);
  });
});

describe('--env=<name>, one word in every target', () => {
  test('an env name starting with "-" is not read as an option by tend-runtime', async () => {
    const file = join(dir, 'dash.json');
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'x', script, 'env_-prod': { A: '2' } }] }));
    const systemd = (await run('systemd', { env: '-prod' }, file)).text;
    assert.match(systemd, /^ExecStart=.* --env=-prod /m);
    assert.doesNotMatch(systemd, / --env -prod/);
    for (const target of ['k8s', 'compose'] as const) {
      const { text } = await run(target, { env: '-prod', image: 'img:1' }, file);
      assert.match(text, /^ +- --env=-prod$/m, target);
      assert.doesNotMatch(text, /- --env$/m, target);
    }
  });
});

describe('systemd-only flags for k8s and compose', () => {
  test('--user and --systemd-version: warned as unused, not silently dropped', async () => {
    const k8s = await run('k8s', { user: 'bob', systemdVersion: 252, image: 'img:1' });
    assert.deepEqual(
      k8s.warnings
        .filter((w) => w.app === '*' && w.field.startsWith('--'))
        .map((w) => `${w.field}: ${w.message}`),
      [
        "--user: systemd's only (User=): not used by k8s; the pod runs as uid 1000 (securityContext.runAsUser)",
        "--systemd-version: systemd's only: not used by k8s",
      ],
    );
    const compose = await run('compose', { user: 'bob' });
    assert.match(
      compose.warnings.find((w) => w.field === '--user')?.message ?? '',
      /not used by compose; the container runs as the image's user/,
    );
    const systemd = await run('systemd', { user: 'bob' });
    assert.deepEqual(
      systemd.warnings.filter((w) => w.field === '--user'),
      [],
    );
  });
});
