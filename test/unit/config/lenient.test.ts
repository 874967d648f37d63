// An ecosystem file's apps stand alone: the bad ones are left out and reported, the others come out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { normalizeAppsLenient } from '../../../src/config/lenient.js';
import { isTendError } from '../../../src/protocol/errors.js';
import { inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
});
after(() => tmp.remove());

const good = (name: string) => ({ name, script: 'app.js' });
const bad = (name: string) => ({ name, script: 'app.js', max_memory_restart: '200Q' });
const lenient = (apps: Record<string, unknown>[], over: Record<string, unknown> = {}) =>
  normalizeAppsLenient(inputFor(tmp.dir, apps, { source: '/x/eco.config.js', ...over }));
const configCode = (err: unknown) => isTendError(err) && err.code === 'TEND_ERR_CONFIG_INVALID';

describe('normalizeAppsLenient', () => {
  it('leaves out the apps with problems of their own, names them and their problems with the file positions', () => {
    const r = lenient([
      good('a'),
      bad('b'),
      good('c'),
      { name: 'd', script: 'app.js', cron_restart: '99 * * * *' },
    ]);
    assert.deepEqual(
      r.specs.map((s) => s.name),
      ['a', 'c'],
    );
    assert.deepEqual(r.rejected?.apps, ['b', 'd']);
    assert.match(
      r.rejected?.error.message ?? '',
      /^\/x\/eco\.config\.js: apps\[1\] \(b\)\.max_memory_restart: .*"200Q"\napps\[3\] \(d\)\.cron_restart: /,
    );
  });

  it('the apps it keeps are named with their positions in the file in their own notes', () => {
    const r = lenient([bad('b'), { name: 'c', script: 'app.js', colour: 'blue' }]);
    assert.deepEqual(
      r.specs.map((s) => s.name),
      ['c'],
    );
    assert.match(r.specs[0]?.notes.join('\n') ?? '', /^apps\[1\] \(c\): unknown field "colour"/);
  });

  it('is plain normalizeApps when nothing is wrong', () => {
    const r = lenient([good('a'), good('b')]);
    assert.equal(r.rejected, null);
    assert.equal(r.specs.length, 2);
  });

  it('throws when every app is bad, for one app, and for problems of the whole input', () => {
    assert.throws(() => lenient([bad('a'), bad('b')]), configCode);
    assert.throws(() => lenient([bad('a')]), configCode);
    assert.throws(() => lenient([good('a'), bad('b')], { only: ['nope'] }), /only: no app named "nope"/);
  });

  it('with --only, a bad app that was not asked for is neither started nor reported', () => {
    const r = lenient([good('a'), bad('b'), good('c')], { only: ['a'] });
    assert.deepEqual(
      r.specs.map((s) => s.name),
      ['a'],
    );
    assert.equal(r.rejected, null);
    assert.throws(() => lenient([good('a'), bad('b')], { only: ['b'] }), configCode);
  });
});
