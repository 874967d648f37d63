import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isEcosystemFile, loadEcosystemFile } from '../../../src/config/load-file.js';
import { TendError } from '../../../src/protocol/errors.js';
import { makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
});
after(() => tmp.remove());

const APP = { name: 'api', script: 'app.js', instances: 2 };

/** Detail of the TEND_ERR_CONFIG_INVALID the load rejects with; also checks `where`. */
async function loadError(file: string): Promise<string> {
  try {
    await loadEcosystemFile(file);
  } catch (e) {
    assert.ok(e instanceof TendError, `expected a TendError, got ${String(e)}`);
    assert.equal(e.code, 'TEND_ERR_CONFIG_INVALID');
    assert.equal(e.data.where, path.resolve(file));
    const detail = String(e.data.detail);
    assert.ok(!detail.includes('\n'), `one line expected: ${detail}`);
    assert.ok(!/\n\s+at /.test(e.message), 'no stack trace in the message');
    return detail;
  }
  return assert.fail(`${file} loaded without error`);
}

describe('isEcosystemFile', () => {
  for (const name of [
    'ecosystem.config.js',
    'pm2.config.cjs',
    'a/b/x.config.mjs',
    'apps.json',
    'e.yaml',
    'e.YML',
  ]) {
    it(`accepts ${name}`, () => assert.equal(isEcosystemFile(name), true));
  }
  for (const name of ['app.js', 'server.mjs', 'config.js', 'ecosystem.config.ts', 'run.sh', 'json']) {
    it(`rejects ${name}`, () => assert.equal(isEcosystemFile(name), false));
  }
});

describe('loadEcosystemFile: formats', () => {
  it('loads JSON with { apps }', async () => {
    const file = tmp.write('json/ecosystem.json', `\uFEFF${JSON.stringify({ apps: [APP] })}`);
    const loaded = await loadEcosystemFile(file);
    assert.deepEqual(loaded, { apps: [APP], source: file, baseDir: path.dirname(file) });
  });

  it('returns an absolute source for a relative path', async () => {
    const file = tmp.write('rel/apps.json', JSON.stringify([APP]));
    const relative = path.relative(process.cwd(), file);
    const loaded = await loadEcosystemFile(relative);
    assert.equal(loaded.source, file);
    assert.equal(loaded.baseDir, path.dirname(file));
  });

  it('loads YAML, .yaml and .yml', async () => {
    const yaml = 'apps:\n  - name: api\n    script: app.js\n    instances: 2\n';
    assert.deepEqual((await loadEcosystemFile(tmp.write('y/e.yaml', yaml))).apps, [APP]);
    assert.deepEqual((await loadEcosystemFile(tmp.write('y/e.yml', yaml))).apps, [APP]);
  });

  it('loads a CommonJS .cjs (module.exports arrives as default)', async () => {
    const file = tmp.write('cjs/pm2.config.cjs', `module.exports = { apps: [${JSON.stringify(APP)}] };\n`);
    assert.deepEqual((await loadEcosystemFile(file)).apps, [APP]);
  });

  it('loads an ES module .mjs with export default', async () => {
    const file = tmp.write(
      'mjs/ecosystem.config.mjs',
      `export default { apps: [${JSON.stringify(APP)}] };\n`,
    );
    assert.deepEqual((await loadEcosystemFile(file)).apps, [APP]);
  });

  it('loads an ES module that exports apps by name', async () => {
    const file = tmp.write('named/ecosystem.config.mjs', `export const apps = [${JSON.stringify(APP)}];\n`);
    assert.deepEqual((await loadEcosystemFile(file)).apps, [APP]);
  });

  it('loads a .config.js as CommonJS, and as ESM under "type": "module"', async () => {
    const cjs = tmp.write(
      'js-cjs/ecosystem.config.js',
      `module.exports = { apps: [${JSON.stringify(APP)}] };\n`,
    );
    assert.deepEqual((await loadEcosystemFile(cjs)).apps, [APP]);
    tmp.write('js-esm/package.json', '{ "type": "module" }');
    const esm = tmp.write('js-esm/ecosystem.config.js', `export default [${JSON.stringify(APP)}];\n`);
    assert.deepEqual((await loadEcosystemFile(esm)).apps, [APP]);
  });

  it('lets a JavaScript file compute values (process.env, path)', async () => {
    const file = tmp.write(
      'computed/ecosystem.config.cjs',
      "const path = require('node:path');\n" +
        "module.exports = { apps: [{ name: 'api', script: path.join(__dirname, 'app.js'), env: { X: 1 + 1 } }] };\n",
    );
    const [app] = (await loadEcosystemFile(file)).apps;
    assert.deepEqual(app, { name: 'api', script: path.join(path.dirname(file), 'app.js'), env: { X: 2 } });
  });
});

describe('loadEcosystemFile: shapes', () => {
  it('accepts a bare array of apps', async () => {
    assert.deepEqual((await loadEcosystemFile(tmp.write('s/array.json', JSON.stringify([APP, APP])))).apps, [
      APP,
      APP,
    ]);
  });

  it('accepts a single app object with a script', async () => {
    assert.deepEqual((await loadEcosystemFile(tmp.write('s/single.json', JSON.stringify(APP)))).apps, [APP]);
  });

  it('ignores top-level keys besides apps (PM2 deploy sections)', async () => {
    const file = tmp.write('s/deploy.json', JSON.stringify({ apps: [APP], deploy: { production: {} } }));
    assert.deepEqual((await loadEcosystemFile(file)).apps, [APP]);
  });

  it('rejects a wrong top shape', async () => {
    assert.equal(
      await loadError(tmp.write('s/shape.json', '{ "name": "x" }')),
      'expected { apps: [...] }, a list of apps, or one app with a "script", got an object',
    );
    assert.equal(
      await loadError(tmp.write('s/string.json', '"app.js"')),
      'expected { apps: [...] }, a list of apps, or one app with a "script", got the string "app.js"',
    );
    assert.equal(
      await loadError(tmp.write('s/empty.yaml', '')),
      'expected { apps: [...] }, a list of apps, or one app with a "script", got null',
    );
    assert.equal(
      await loadError(tmp.write('s/apps.json', '{ "apps": "app.js" }')),
      '"apps" must be a list of apps, got the string "app.js"',
    );
    assert.equal(
      await loadError(tmp.write('s/none.json', '{ "apps": [] }')),
      'no apps defined ("apps" is empty)',
    );
    assert.equal(
      await loadError(tmp.write('s/item.json', '{ "apps": [{ "script": "a.js" }, 42] }')),
      'apps[1]: expected an app object, got number 42',
    );
  });

  it('drops functions and other non-JSON values instead of crashing', async () => {
    const file = tmp.write(
      'fn/ecosystem.config.cjs',
      'module.exports = { apps: [{ name: "api", script: "app.js", onStart() {}, hooks: [() => 1, "keep"],\n' +
        '  ignore_watch: [/node_modules/], nothing: undefined, env: { A: 1, f: function () {} } }] };\n',
    );
    const [app] = (await loadEcosystemFile(file)).apps;
    assert.deepEqual(app, {
      name: 'api',
      script: 'app.js',
      hooks: ['keep'],
      ignore_watch: ['node_modules'],
      env: { A: 1 },
    });
    assert.doesNotThrow(() => JSON.stringify(app));
  });
});

describe('loadEcosystemFile: failures', () => {
  it('reports a missing file', async () => {
    assert.equal(await loadError(path.join(tmp.dir, 'nope.config.js')), 'file not found');
  });

  it('reports a directory', async () => {
    tmp.write('dir.json/x', '');
    assert.equal(await loadError(path.join(tmp.dir, 'dir.json')), 'not a file');
  });

  it('reports an unsupported extension', async () => {
    assert.equal(
      await loadError(tmp.write('e/apps.toml', '')),
      'unsupported file type ".toml" (expected a .config.js, .config.cjs, .config.mjs, .json, .yaml or .yml file)',
    );
  });

  it('reports JSON syntax errors with line and column', async () => {
    const file = tmp.write('bad/e.json', '{\n  "apps": [\n    { "script": "a.js" "name": "a" }\n  ]\n}\n');
    assert.equal(await loadError(file), 'invalid JSON at line 3, column 24: expected "," or "}", got """');
  });

  it('reports a cut file, and JavaScript that is more than data, without quoting the file', async () => {
    assert.equal(
      await loadError(tmp.write('bad/cut.json', '{"apps": [')),
      'invalid JSON at line 1, column 11: unexpected end of the file: expected a value',
    );
    assert.equal(
      await loadError(tmp.write('bad/code.json', "{ apps: [{ script: require('path').join('a') }] }")),
      'invalid JSON at line 1, column 20: "require" is not a value (a .json file is read, not run: write the value itself, or use a .config.js file)',
    );
  });

  it('reports YAML syntax errors with line and column', async () => {
    const file = tmp.write('bad/e.yaml', 'apps:\n  - name: a\n    script: [x\n  - b: c\n');
    assert.match(await loadError(file), /^invalid YAML: .+ at line 4, column 3$/);
    assert.equal(
      await loadError(tmp.write('bad/dup.yml', 'apps: []\napps: []\n')),
      'invalid YAML: Map keys must be unique at line 2, column 1',
    );
  });

  it('reports CommonJS syntax errors with line and column', async () => {
    const file = tmp.write(
      'bad/e.config.cjs',
      'module.exports = {\n  apps: [\n    { script: "a.js" }\n    { }\n  ]\n};\n',
    );
    assert.equal(await loadError(file), "syntax error at line 4, column 5: Unexpected token '{'");
  });

  it('reports ES module syntax errors', async () => {
    const file = tmp.write(
      'bad/e.config.mjs',
      'export default {\n  apps: [{ name: "a" script: "x.js" }]\n};\n',
    );
    assert.match(await loadError(file), /^syntax error.*: Unexpected identifier 'script'$/);
  });

  it('reports errors thrown while the file runs, on one line', async () => {
    const file = tmp.write(
      'bad/throws.config.cjs',
      'require("tend-no-such-module");\nmodule.exports = [];\n',
    );
    assert.equal(await loadError(file), "the file failed to load: Cannot find module 'tend-no-such-module'");
  });

  it('a file that throws while it runs is run once, not again by a second loader', async () => {
    const trace = path.join(tmp.dir, 'ran-once.txt');
    const file = tmp.write(
      'bad/once.config.cjs',
      `require('node:fs').appendFileSync(${JSON.stringify(trace)}, 'ran\\n');\nthrow new Error('boom');\n`,
    );
    assert.equal(await loadError(file), 'the file failed to load: boom');
    const { readFileSync } = await import('node:fs');
    assert.equal(readFileSync(trace, 'utf8'), 'ran\n');
  });
});

describe('load-file stays light', () => {
  it('imports no zod, directly or through its local imports', async () => {
    const fs = await import('node:fs');
    const srcDir = path.resolve(import.meta.dirname, '../../../src/config');
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(file, 'utf8');
      // Type-only imports are erased at build time and cost nothing at startup.
      for (const [, typeOnly, from] of text.matchAll(/^import (type )?[^;]*?from '([^']+)';/gms)) {
        if (typeOnly) continue;
        assert.notEqual(from, 'zod', `${path.basename(file)} imports zod`);
        if (from!.startsWith('.')) visit(path.resolve(path.dirname(file), from!.replace(/\.js$/, '.ts')));
      }
    };
    visit(path.join(srcDir, 'load-file.ts'));
    assert.ok(seen.size > 1);
  });
});
