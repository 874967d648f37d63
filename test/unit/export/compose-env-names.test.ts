// compose and the env names no environment carries (eighth audit): compose wrote `"": v` (the compose spec
// refuses an empty key; only --check said so) and `A=B: w` (Docker sets A = "B=w"), exit 0, no warning,
// where systemd left both out with a warning. Now compose does as systemd, through the same helper (env.ts
// leftOutNames): left out, warned by app and name; tend-runtime still gives them to the app from the file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { checkExport } from '../../../src/export/check.js';
import { envFields } from '../../../src/export/env.js';
import { renderExport } from '../../../src/export/render.js';
import { appsFixtures } from './support.js';

const { inputFor } = appsFixtures('tend-export-env-names-');

test('compose: an empty name and a name with "=" are left out of environment:, warned; --check ok', async () => {
  const input = await inputFor([
    {
      name: 'a',
      env: { '': 'v', 'A=B': 'w', OK: '1', 'my-var': 'x', 'DB_PASSWORD=X': 'hunter2', API_TOKEN: 't' },
    },
  ]);
  const r = renderExport('compose', input);
  const content = r.files[0]?.content ?? '';
  const doc = parse(content) as { services: Record<string, { environment: Record<string, unknown> }> };
  // A name Docker sets with a character systemd does not take (my-var) is still written: compose's rule.
  assert.deepEqual(doc.services.a?.environment, { API_TOKEN: null, OK: '1', 'my-var': 'x' });
  assert.ok(!content.includes('hunter2') && !content.includes('A=B') && !content.includes('""'));
  const env = r.warnings.filter((w) => w.field.startsWith('env'));
  assert.deepEqual(
    env.map((w) => `${w.app}: ${w.field}`),
    ['a: env[""], env.A=B', 'a: env.DB_PASSWORD=X', 'a: env.API_TOKEN'],
  );
  assert.equal(
    env[0]?.message,
    'not a name compose can set (an empty name is none, and "=" ends a name: A=B would set A): left out of environment:; tend-runtime still gives it to the app from the ecosystem file',
  );
  assert.match(
    env[1]?.message ?? '',
    /^looks secret, but not a name compose can set .*: it cannot be set from the shell/,
  );
  const report = await checkExport('compose', r.files);
  assert.deepEqual(report.ran ? report.findings : [], []);
});

test('systemd leaves the same names out through the same helper, naming them the same way', async () => {
  const input = await inputFor([{ name: 'a', env: { '': 'v', 'A=B': 'w', OK: '1' } }]);
  const r = renderExport('systemd', input);
  assert.deepEqual(
    r.warnings.filter((w) => w.field.startsWith('env')).map((w) => w.field),
    ['env[""], env.A=B'],
  );
  assert.match(r.files[0]?.content ?? '', /^Environment=OK=1$/m);
  assert.equal(
    envFields(['a.b', 'my-var', 'x y', '', 'q"', 'a,b', 'a\nb']),
    'env.a.b, env.my-var, env.x y, env[""], env["q\\""], env["a,b"], env["a\\nb"]',
  );
});
