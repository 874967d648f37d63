// What every export refuses before anything is rendered or written (src/export/input-checks.ts), coded,
// exit 2, naming the app or the flag and the fix.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EXPORT_TARGETS } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
import { TendError } from '../../../src/protocol/errors.js';
import { appsFixtures } from './support.js';

const { inputFor } = appsFixtures('tend-export-input-');

function refusal(fn: () => unknown): TendError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof TendError, String(err));
    return err;
  }
  assert.fail('no error');
}

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
