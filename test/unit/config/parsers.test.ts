// The small pure parsers behind the schema: durations, argument strings, "did you mean", plain data.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration } from '../../../src/config/duration.js';
import { toPlain } from '../../../src/config/plain.js';
import { splitArgs } from '../../../src/config/split-args.js';
import { closest } from '../../../src/config/suggest.js';

describe('parseDuration', () => {
  for (const [text, ms] of [
    ['1500', 1500],
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    [' 3 S ', 3000],
  ] as const) {
    it(`reads ${JSON.stringify(text)} as ${ms} ms`, () => assert.equal(parseDuration(text), ms));
  }
  for (const text of ['', 'ten', '-1s', '10x', '1m30s', 's']) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.equal(parseDuration(text), null));
  }
});

describe('splitArgs', () => {
  for (const [text, words] of [
    ['', []],
    ['  a   b  ', ['a', 'b']],
    ['--name "my app" --port=3000', ['--name', 'my app', '--port=3000']],
    [`'single $HOME' "double \\"q\\" \\$x"`, ['single $HOME', 'double "q" $x']],
    ['a\\ b c', ['a b', 'c']],
    [`x'y'"z"`, ['xyz']],
    [`'' ""`, ['', '']],
    ['"C:\\path"', ['C:\\path']],
  ] as const) {
    it(`splits ${JSON.stringify(text)}`, () => assert.deepEqual(splitArgs(text), words));
  }
  it('returns null for an open quote', () => {
    assert.equal(splitArgs(`--name 'my app`), null);
    assert.equal(splitArgs('"'), null);
  });
});

describe('closest', () => {
  const fields = ['max_restarts', 'min_uptime', 'kill_timeout', 'script', 'name', 'env'];
  it('finds typos', () => {
    assert.equal(closest('max_restart', fields), 'max_restarts');
    assert.equal(closest('min_uptim', fields), 'min_uptime');
    assert.equal(closest('scirpt', fields), 'script');
  });
  it('folds camelCase and kebab-case', () => {
    assert.equal(closest('killTimeout', fields), 'kill_timeout');
    assert.equal(closest('max-restarts', fields), 'max_restarts');
  });
  it('stays quiet when nothing is close', () => {
    assert.equal(closest('colour', fields), null);
    assert.equal(closest('x', fields), null);
  });
  // The tenth audit: full Levenshtein of a 50 000-character key took the daemon 5 s, of a 20 000-character
  // dependency name against an app's name of that length 44 s. The band within the limit only; the test's
  // timeout is the safety net of a hang.
  it('a very long word against long candidates: the near one found, in time linear in the length', {
    timeout: 60_000,
  }, () => {
    const long = 'a'.repeat(200_000);
    assert.equal(closest(`${long}b`, [long, `${long}cc`, 'x'.repeat(200_001)]), long);
    assert.equal(closest('x'.repeat(200_000), fields), null);
    assert.equal(closest(long, [`bbbb${long.slice(4)}`]), null);
  });
});

describe('toPlain', () => {
  it('drops what JSON cannot carry and converts the rest', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const plain = toPlain({
      f: () => 1,
      u: undefined,
      s: Symbol('x'),
      list: [1, () => 2, undefined, 'x'],
      re: /node_modules/,
      date: new Date(0),
      big: 10n,
      inf: Number.POSITIVE_INFINITY,
      nested: { ok: true, nil: null },
      cyclic,
    });
    assert.deepEqual(plain, {
      list: [1, 'x'],
      re: 'node_modules',
      date: '1970-01-01T00:00:00.000Z',
      big: '10',
      inf: 'Infinity',
      nested: { ok: true, nil: null },
      cyclic: { a: 1 },
    });
  });

  it('keeps a shared (non-cyclic) object in every place', () => {
    const shared = { A: '1' };
    assert.deepEqual(toPlain({ env: shared, env_production: shared }), {
      env: shared,
      env_production: shared,
    });
  });
});
