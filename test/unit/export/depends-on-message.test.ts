// A depends_on naming no app of the file (eighth audit): the export said `no app named "zzz" in this file or
// running in tend` even of an app running in tend, which the export never asks. The check is tend start's
// (config/dependency-checks.ts), where that wording is right; the export's says what is true of an export.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TendError } from '../../../src/protocol/errors.js';
import { appsFixtures } from './support.js';

const { dir, inputFor, lastFile } = appsFixtures('tend-export-deps-msg-');

async function refusal(apps: Record<string, unknown>[]): Promise<TendError> {
  try {
    await inputFor(apps);
  } catch (err) {
    assert.ok(err instanceof TendError, String(err));
    return err;
  }
  assert.fail('no error');
}

test('an unknown dependency: "in this file", and that the export reads only the file', async () => {
  const err = await refusal([{ name: 'worker' }, { name: 'api', depends_on: ['zzz'] }]);
  assert.equal(err.code, 'TEND_ERR_CONFIG_INVALID');
  const tail =
    '; an export reads only the file, never the apps running in tend: define it in the file, or take it out of depends_on';
  assert.equal(
    err.message,
    `${dir}/${lastFile()}: apps[1] (api).depends_on[0]: no app named "zzz" in this file (apps of the file: "worker")${tail}`,
  );
  assert.doesNotMatch(err.message, /in this file or running in tend/);
  // The check's hint stays, and so do the data's issues (the same wording).
  const close = await refusal([{ name: 'db' }, { name: 'api', depends_on: ['dbb'] }]);
  assert.match(
    close.message,
    /no app named "dbb" in this file \(did you mean "db"\?\); an export reads only/,
  );
  assert.deepEqual(
    (close.data as { issues: { message: string }[] }).issues.map((i) => i.message),
    [`no app named "dbb" in this file (did you mean "db"?)${tail}`],
  );
  // Other problems of the file are as tend start words them, in the same error.
  const both = await refusal([{ name: 'api', depends_on: ['zzz'], max_restarts: -1 }]);
  assert.match(both.message, /max_restarts: expected/);
  assert.match(both.message, /no app named "zzz" in this file \("api" is the file's only app\); an export/);
});
