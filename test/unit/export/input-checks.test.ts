// What every export refuses before anything is rendered or written (src/export/input-checks.ts), coded,
// exit 2, naming the app or the flag and the fix.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EXPORT_TARGETS } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
import type { TendError } from '../../../src/protocol/errors.js';
import { appsFixtures, EXPORT_FIXTURES, loadFixture, refusal } from './support.js';

const { dir, inputFor } = appsFixtures('tend-export-input-');
const noSystemd = spawnSync('systemd-analyze', ['--version']).error
  ? 'systemd-analyze is not installed'
  : false;

describe('an app name with a comma (tend-runtime splits --only=x,y)', () => {
  test('refused in every target: the app, the field, the fix', async () => {
    const input = await inputFor([{ name: 'x' }, { name: 'y' }, { name: 'x,y' }]);
    for (const target of EXPORT_TARGETS) {
      const err = refusal(() => renderExport(target, input));
      assert.equal(err.code, 'TEND_ERR_EXPORT_UNSAFE_VALUE', target);
      assert.equal(err.exitCode, 2);
      assert.deepEqual([err.data.app, err.data.field], ['x,y', 'name']);
      assert.match(
        err.message,
        /would run the apps "x" and "y" instead: nothing was written \(rename the app/,
      );
    }
  });
});

describe('--image: an image reference, or TEND_ERR_USAGE (exit 2)', () => {
  test('refused: empty, blanks, capitals in the path, a line break, a bad tag or digest', async () => {
    const input = await inputFor([{ name: 'x' }]);
    for (const image of [
      '',
      'a b',
      'UPPER/Case:1',
      'Shop:1',
      'shop:1\nimage: evil',
      'shop:',
      'shop:-1',
      'shop@sha256:xyz',
      '/shop',
      'shop//api',
      'registry.example.com:port/shop',
    ])
      for (const target of ['k8s', 'compose'] as const) {
        const err = refusal(() => renderExport(target, { ...input, image }));
        assert.equal(err.code, 'TEND_ERR_USAGE', JSON.stringify(image));
        assert.equal(err.exitCode, 2);
        assert.match(err.message, /^export: --image .* is not an image reference: /);
      }
  });

  test('accepted: a name, a tag, a registry with a port, a digest, both', async () => {
    const input = await inputFor([{ name: 'x' }]);
    const digest = `sha256:${'a'.repeat(64)}`;
    for (const image of [
      'shop',
      'shop:1.4',
      'shop/api_v2:latest',
      'registry.example.com:5000/shop/api:1.4-rc.1',
      'localhost/shop',
      `ghcr.io/acme/shop@${digest}`,
      `ghcr.io/acme/shop:1.4@${digest}`,
      'image.invalid/replace-me:latest',
    ])
      assert.equal(renderExport('compose', { ...input, image }).files.length, 1, image);
  });
});

describe('--only', () => {
  test('no name (`--only ,`): TEND_ERR_CONFIG_INVALID, exit 2, as an unknown name is', async () => {
    for (const only of [[], ['api', ' ']]) {
      const err = await loadFixture(undefined, { only }).then(
        () => assert.fail('no error'),
        (e: unknown) => e as TendError,
      );
      assert.equal(err.code, 'TEND_ERR_CONFIG_INVALID');
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /^--only: expected comma-separated app names, got (none|an empty name)$/);
    }
    const unknown = await loadFixture(undefined, { only: ['nope'] }).catch((e: unknown) => e as TendError);
    assert.equal((unknown as TendError).code, 'TEND_ERR_CONFIG_INVALID');
  });
});

describe('systemd: User= and Description=', () => {
  test('--user must be a user name or id systemd takes: TEND_ERR_USAGE, exit 2', async () => {
    const input = await inputFor([{ name: 'x' }]);
    for (const user of [
      'a b',
      '%n',
      'root;x',
      '-rf',
      '',
      '1abc',
      'a.b',
      'x'.repeat(32),
      '65535',
      '4294967295',
    ]) {
      const err = refusal(() => renderExport('systemd', { ...input, user }));
      assert.equal(err.code, 'TEND_ERR_USAGE', JSON.stringify(user));
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /^export: --user .* is not a user systemd's User= takes: /);
    }
    for (const user of ['api', '_svc', 'www-data', '0', '1000', 'x'.repeat(31)])
      assert.match(
        renderExport('systemd', { ...input, user }).files[0]?.content ?? '',
        new RegExp(`^User=${user}$`, 'm'),
      );
  });

  test('a PM2 user field: User= when systemd takes it, else warned and dropped; warned in k8s and compose', async () => {
    const input = await inputFor([
      { name: 'ok', user: 'api' },
      { name: 'bad', user: '%n' },
      { name: 'num', uid: 1001 },
    ]);
    const r = renderExport('systemd', input);
    const unit = (n: number) => r.files[n]?.content ?? '';
    assert.match(unit(0), /^User=api$/m);
    assert.doesNotMatch(unit(1), /^User=/m);
    assert.match(unit(2), /^User=1001$/m);
    assert.deepEqual(
      r.warnings.map((w) => `${w.app}: ${w.field}`),
      ['bad: user'],
    );
    const overridden = renderExport('systemd', { ...input, user: 'svc' });
    assert.deepEqual(
      overridden.warnings.map((w) => `${w.app}: ${w.field}`),
      ['ok: user', 'bad: user', 'num: uid'],
    );
    for (const target of ['k8s', 'compose'] as const)
      assert.deepEqual(
        renderExport(target, input)
          .warnings.filter((w) => /user|uid/.test(w.field))
          .map((w) => `${w.app}: ${w.field}`),
        ['ok: user', 'bad: user', 'num: uid'],
        target,
      );
  });

  test('Description= escapes %: sale%z passes systemd-analyze verify, sale%n stays itself', {
    skip: noSystemd,
  }, async () => {
    const input = await inputFor([{ name: 'sale%z' }, { name: 'sale%n' }], {
      runtime: { node: process.execPath, entry: join(EXPORT_FIXTURES, 'app.cjs') },
      user: 'root',
    });
    const { files } = renderExport('systemd', input);
    assert.match(files[0]?.content ?? '', /^Description=sale%%z \(tend export\)$/m);
    assert.match(files[1]?.content ?? '', /^Description=sale%%n \(tend export\)$/m);
    for (const f of files) writeFileSync(join(dir, f.name), f.content);
    const r = spawnSync('systemd-analyze', ['verify', ...files.map((f) => join(dir, f.name))], {
      encoding: 'utf8',
    });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
  });
});
