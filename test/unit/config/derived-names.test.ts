// A name derived from the script's file name is made a name: whitespace and "/" become "-" (eighth audit:
// `tend-runtime "run me.js"` was refused, "expected a name without "/" or whitespace … set "name"", for a
// name the user never wrote). A name the user wrote is still refused for them. Where a derived name cannot be
// made one (all digits, `all`), the hint names the flag on the command line, the field in a file.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nameFromScript } from '../../../src/config/app-name.js';
import { normalizeApps } from '../../../src/config/normalize.js';
import { loadRuntimeApps } from '../../../src/container/load-apps.js';
import { configIssues, inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('sp ace/run me.js', 'setInterval(() => {}, 1000);\n');
  tmp.write('tab\tand  spaces .mjs', '');
  tmp.write('all.js', '');
});
after(() => tmp.remove());

describe('a name derived from the file name', () => {
  it('whitespace becomes "-" (a run of it one "-"; none at the ends)', () => {
    assert.equal(nameFromScript('/x/sp ace/run me.js'), 'run-me');
    assert.equal(nameFromScript('tab\tand  spaces .mjs'), 'tab-and-spaces');
    assert.equal(nameFromScript('api.js'), 'api');
  });

  it('tend start "run me.js" (command line) and a file that names no app: run-me', () => {
    const [cli] = normalizeApps(inputFor(tmp.dir, [{ script: 'sp ace/run me.js' }]));
    assert.equal(cli?.name, 'run-me');
    const [file] = normalizeApps(inputFor(tmp.dir, [{ script: 'sp ace/run me.js' }], { source: 'eco.json' }));
    assert.equal(file?.name, 'run-me');
    const [tabs] = normalizeApps(inputFor(tmp.dir, [{ script: 'tab\tand  spaces .mjs' }]));
    assert.equal(tabs?.name, 'tab-and-spaces');
  });

  it('tend-runtime "<dir>/sp ace/run me.js": run-me', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: tmp.dir };
    const { specs } = await loadRuntimeApps(
      { target: `${tmp.dir}/sp ace/run me.js`, scriptArgs: [], only: null, envName: null },
      env,
      tmp.dir,
    );
    assert.deepEqual(
      specs.map((s) => s.name),
      ['run-me'],
    );
  });

  it('a name the user wrote is refused as before', () => {
    assert.deepEqual(
      configIssues(() => normalizeApps(inputFor(tmp.dir, [{ name: 'run me', script: 'all.js' }]))),
      ['apps[0] (run me).name: expected a name without "/" or whitespace, got "run me"'],
    );
  });

  it('one that cannot be made a name: the hint is --name on the command line, "name" in a file', () => {
    assert.deepEqual(
      configIssues(() => normalizeApps(inputFor(tmp.dir, [{ script: 'all.js' }]))),
      [
        `apps[0] (all).name: expected a name other than "all" (it targets every process), got "all" (from the script's file name; give one with --name)`,
      ],
    );
    assert.deepEqual(
      configIssues(() => normalizeApps(inputFor(tmp.dir, [{ script: 'all.js' }], { source: 'eco.json' }))),
      [
        `apps[0] (all).name: expected a name other than "all" (it targets every process), got "all" (from the script's file name; set "name")`,
      ],
    );
  });
});
