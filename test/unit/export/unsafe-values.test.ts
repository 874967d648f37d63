// Values from the ecosystem file reach each target as written, or are refused: a line break in a systemd
// unit would be a directive of its own (the audit's `MOTD: 'hello\nExecStartPre=/bin/touch …'`), so the
// systemd export refuses it, coded, before anything is written; YAML (k8s, compose) escapes it. And each
// target's own expansion is escaped: `$` in compose (interpolation) and Kubernetes (`$(VAR)`), `%` in units;
// Environment= does not expand `$`, so it is written as it is.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { renderExport } from '../../../src/export/render.js';
import { TendError } from '../../../src/protocol/errors.js';
import { appsFixtures } from './support.js';

const { dir, script, inputFor } = appsFixtures('tend-export-unsafe-');

const INJECTION = 'hello\nExecStartPre=/bin/touch /tmp/pwned\nX=';
const noSystemd = spawnSync('systemd-analyze', ['--version']).error
  ? 'systemd-analyze is not installed'
  : false;

describe('systemd: a control character is refused before anything is written', () => {
  test('a line break in an env value: TEND_ERR_EXPORT_UNSAFE_VALUE naming the app, the field and the fix', async () => {
    const input = await inputFor([{ name: 'ok' }, { name: 'inj', env: { MOTD: INJECTION } }]);
    assert.throws(
      () => renderExport('systemd', input),
      (err: unknown) => {
        assert.ok(err instanceof TendError);
        assert.equal(err.code, 'TEND_ERR_EXPORT_UNSAFE_VALUE');
        assert.equal(err.exitCode, 2);
        assert.deepEqual([err.data.app, err.data.field], ['inj', 'env.MOTD']);
        assert.match(err.message, /^inj: env\.MOTD: holds a line break \(U\+000A\).*nothing was written/);
        assert.match(err.message, /move MOTD into an env_file/);
        return true;
      },
    );
  });

  test('every other control character, in each field written into a unit', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ env: { A: 'x\ry' } }, 'env.A'],
      [{ env: { A: 'bell\u0007' } }, 'env.A'],
      [{ env: { A: 'del\u007f' } }, 'env.A'],
      // The name JSON-quoted (env.ts envFields): the message stays one line (eighth audit).
      [{ env: { 'A\nB': '1' } }, 'env["A\\nB"] (name)'],
    ];
    for (const [fields, field] of cases) {
      const input = await inputFor([{ name: 'x', ...fields }]);
      assert.throws(() => renderExport('systemd', input), { code: 'TEND_ERR_EXPORT_UNSAFE_VALUE' }, field);
      try {
        renderExport('systemd', input);
      } catch (err) {
        assert.equal((err as TendError).data.field, field);
        assert.doesNotMatch((err as TendError).message, /\n/, field);
      }
    }
    const cwd = join(dir, 'line\nbreak');
    mkdirSync(cwd);
    const input = await inputFor([{ name: 'x', cwd }]);
    assert.throws(() => renderExport('systemd', input), /x: cwd: holds a line break/);
    const env = await inputFor([{ name: 'x' }], { envName: 'prod\nExecStartPre=/bin/true' });
    assert.throws(() => renderExport('systemd', env), /x: --env: holds a line break/);
  });

  test('a tab, and a multi-line secret (not written: referenced) are fine', async () => {
    const input = await inputFor([
      {
        name: 'x',
        env: { TABS: 'a\tb', TLS_KEY: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----' },
      },
    ]);
    const unit = renderExport('systemd', input).files[0]?.content ?? '';
    assert.match(unit, /^Environment="TABS=a\tb"$/m);
    assert.doesNotMatch(unit, /BEGIN PRIVATE/);
  });

  test('Environment= keeps `$` as it is, escapes `%`; paths are unquoted (systemd-analyze verify)', {
    skip: noSystemd,
  }, async () => {
    const cwd = join(dir, 'my app $HOME 100%');
    mkdirSync(cwd);
    const envFile = join(cwd, 'app.env');
    writeFileSync(envFile, 'A=1\n');
    const input = await inputFor(
      [{ name: 'x', cwd, env_file: envFile, env: { PRICE: '$5 or 100%', Q: 'say "hi" \\o/' } }],
      {
        user: 'root',
        runtime: { node: process.execPath, entry: script },
      },
    );
    const unit = renderExport('systemd', input).files[0]?.content ?? '';
    // systemd.exec(5): in Environment= "the $ character has no special meaning"; % is a specifier.
    assert.match(unit, /^Environment="PRICE=\$5 or 100%%"$/m);
    assert.match(unit, /^Environment="Q=say \\"hi\\" \\\\o\/"$/m);
    assert.match(unit, new RegExp(`^WorkingDirectory=${dir}/my app \\$HOME 100%%$`, 'm'));
    assert.match(unit, new RegExp(`^EnvironmentFile=${dir}/my app \\$HOME 100%%/app\\.env$`, 'm'));
    const file = join(dir, 'x.service');
    writeFileSync(file, unit);
    const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
  });
});

describe('YAML targets: values round-trip as written', () => {
  const tricky = {
    MOTD: INJECTION,
    CTRL: 'a\u0001b\u007fc\r\n',
    YAMLY: 'yes',
    NUM: '0123',
    COLON: 'a: b',
    HASH: 'a #b',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${HOME}, which no target may expand
    DOLLAR: 'cost $5, $(HOME) and ${HOME} and $$',
  };

  test('k8s: env values and the command as written, `$` escaped against $(VAR) expansion', async () => {
    const input = await inputFor([{ name: 'y', env: tricky, args: ['--x', 'a\nb'] }]);
    const docs = parseAllDocuments(renderExport('k8s', input).files[0]?.content ?? '').map((d) => d.toJS());
    const container = docs[0].spec.template.spec.containers[0];
    const env = Object.fromEntries(
      container.env.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    // Kubernetes reads `$$` as `$` (and expands `$(VAR)`): unescaping gives the value back.
    const unescapeK8s = (v: string) => v.replaceAll('$$', '$');
    for (const [k, v] of Object.entries(tricky)) assert.equal(unescapeK8s(env[k]), v, k);
    assert.equal(env.DOLLAR, 'cost $$5, $$(HOME) and $${HOME} and $$$$');
  });

  test('compose: environment as written, `$` as `$$` against interpolation', async () => {
    const input = await inputFor([{ name: 'y', env: tricky }]);
    const service = parse(renderExport('compose', input).files[0]?.content ?? '').services.y;
    for (const [k, v] of Object.entries(tricky))
      assert.equal(service.environment[k].replaceAll('$$', '$'), v, k);
    assert.equal(service.environment.DOLLAR, 'cost $$5, $$(HOME) and $${HOME} and $$$$');
  });
});
