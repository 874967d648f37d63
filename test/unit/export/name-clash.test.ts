// Apps whose names differ only in characters the target does not take become one name there: the second
// object or unit would replace the first, silently (the audit's `a.b`, `a-b`, `A_B`: one Deployment `a-b`,
// and `--check` said ok). Refused, coded, naming both apps and the name, before anything is rendered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExportTarget } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
import { TendError } from '../../../src/protocol/errors.js';
import { appsFixtures } from './support.js';

const { inputFor } = appsFixtures('tend-export-clash-');

function clash(target: ExportTarget, input: Parameters<typeof renderExport>[1]): TendError {
  try {
    renderExport(target, input);
  } catch (err) {
    assert.ok(err instanceof TendError, String(err));
    return err;
  }
  assert.fail(`${target}: no error`);
}

test('k8s: a.b, a-b and A_B are all a-b: TEND_ERR_EXPORT_NAME_CLASH, exit 2, naming both apps', async () => {
  const input = await inputFor([{ name: 'a.b' }, { name: 'a-b' }, { name: 'A_B' }]);
  const err = clash('k8s', input);
  assert.equal(err.code, 'TEND_ERR_EXPORT_NAME_CLASH');
  assert.equal(err.exitCode, 2);
  assert.deepEqual(err.data, { target: 'Kubernetes', first: 'a.b', second: 'a-b', name: 'a-b' });
  assert.equal(
    err.message,
    'apps "a.b" and "a-b" both become Kubernetes name "a-b": nothing was written (rename one of them)',
  );
});

test('systemd: web@1 and web-1 are both web-1.service; compose: x@y and x-y', async () => {
  const units = clash('systemd', await inputFor([{ name: 'web@1' }, { name: 'web-1' }]));
  assert.deepEqual(units.data, { target: 'unit', first: 'web@1', second: 'web-1', name: 'web-1.service' });
  const compose = clash('compose', await inputFor([{ name: 'x@y' }, { name: 'x-y' }]));
  assert.deepEqual(compose.data, { target: 'compose service', first: 'x@y', second: 'x-y', name: 'x-y' });
});

test('names that stay apart in a target export there: a.b and a-b are two compose services and units', async () => {
  const input = await inputFor([{ name: 'a.b' }, { name: 'a-b' }]);
  assert.equal(renderExport('systemd', input).files.length, 2);
  assert.match(renderExport('compose', input).files[0]?.content ?? '', /^ {2}a\.b:$/m);
});
