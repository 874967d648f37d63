// App names: defaults, validity, duplicates, and selection with `only`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { configIssues, inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', 'setInterval(() => {}, 1000);\n');
  tmp.write('sub/worker.mjs', '');
  tmp.write('123.js', '');
});
after(() => tmp.remove());

const one = (app: Record<string, unknown>, over = {}) => {
  const specs = normalizeApps(inputFor(tmp.dir, [app], over));
  assert.equal(specs.length, 1);
  return specs[0]!;
};

describe('normalizeApps: names', () => {
  it('derives the name from the script file name', () => {
    assert.equal(one({ script: 'sub/worker.mjs' }).name, 'worker');
  });

  it('reports a derived name that is all digits', () => {
    assert.deepEqual(
      configIssues(() => one({ script: '123.js' })),
      [
        'apps[0] (123).name: expected a name that is not all digits (numbers are process ids), got "123" ' +
          // From the command line (inputFor's source is null): the flag that sets a name.
          "(from the script's file name; give one with --name)",
      ],
    );
  });

  for (const [name, expectation] of [
    ['', 'expected a non-empty name'],
    ['42', 'expected a name that is not all digits (numbers are process ids)'],
    ['all', 'expected a name other than "all" (it targets every process)'],
    ['a/b', 'expected a name without "/" or whitespace'],
    ['my app', 'expected a name without "/" or whitespace'],
  ]) {
    it(`rejects the name ${JSON.stringify(name)}`, () => {
      assert.deepEqual(
        configIssues(() => one({ name, script: 'app.js' })),
        [`${name ? `apps[0] (${name})` : 'apps[0]'}.name: ${expectation}, got ${JSON.stringify(name)}`],
      );
    });
  }

  it('rejects duplicate names', () => {
    const apps = [
      { name: 'api', script: 'app.js' },
      { script: 'app.js' },
      { name: 'api', script: 'sub/worker.mjs' },
    ];
    assert.deepEqual(
      configIssues(() => normalizeApps(inputFor(tmp.dir, apps))),
      ['apps[2] (api).name: duplicate name "api" (also apps[0] (api))'],
    );
  });
});

describe('normalizeApps: only', () => {
  const apps = [
    { name: 'api', script: 'app.js' },
    { name: 'worker', script: 'sub/worker.mjs' },
    { name: 'broken', script: 'missing.js' },
  ];

  it('keeps only the named apps, and does not resolve the others', () => {
    const specs = normalizeApps(inputFor(tmp.dir, apps, { only: ['worker', 'api'] }));
    assert.deepEqual(
      specs.map((s) => s.name),
      ['api', 'worker'],
    );
  });

  it('names the unknown apps and lists the available ones', () => {
    const error = configIssues(() => normalizeApps(inputFor(tmp.dir, apps, { only: ['api', 'web', 'db'] })));
    assert.deepEqual(error, ['only: no app named "web", "db" (available: "api", "worker", "broken")']);
  });

  it('still validates every app of the input', () => {
    const bad = [...apps, { name: 'x', script: 'app.js', max_restarts: -1 }];
    assert.deepEqual(
      configIssues(() => normalizeApps(inputFor(tmp.dir, bad, { only: ['api'] }))),
      ['apps[3] (x).max_restarts: expected a non-negative integer, got -1'],
    );
  });
});
