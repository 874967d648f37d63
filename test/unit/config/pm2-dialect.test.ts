// Ecosystem files as PM2 reads them (issue 17), for tend and tend-pm2 alike: a .json file in JavaScript
// object syntax (read, never run), `pm2:` for `apps:`, `deploy.<env>.env` under env_<env>, object env values
// as JSON text, and a file's text from stdin (parseEcosystemText).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadEcosystemFile, parseEcosystemText } from '../../../src/config/load-file.js';
import { normalizeApps } from '../../../src/config/normalize.js';
import { parseRelaxedJson, RelaxedJsonError } from '../../../src/config/relaxed-json.js';
import { isTendError } from '../../../src/protocol/errors.js';
import { inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
});
after(() => tmp.remove());

describe('relaxed JSON (a .json file as PM2 reads it)', () => {
  it('reads comments, unquoted and quoted keys, single quotes, trailing commas, JSON5 numbers', () => {
    const text = `// PM2 evaluates .json files: this is what people write
{
  /* the apps */
  apps: [
    { name: 'api', "script": 'app.js', instances: 0x2, max_memory_restart: .5e3, kill_timeout: +1_600,
      env: { 'A-B': "x\\ty", NODE_ENV: \`production\`, UNSET: undefined, }, },
  ],
  'deploy': {},
}
`;
    assert.deepEqual(parseRelaxedJson(text), {
      apps: [
        {
          name: 'api',
          script: 'app.js',
          instances: 2,
          max_memory_restart: 500,
          kill_timeout: 1600,
          env: { 'A-B': 'x\ty', NODE_ENV: 'production', UNSET: undefined },
        },
      ],
      deploy: {},
    });
    assert.deepEqual(parseRelaxedJson("({ a: [1, -Infinity, 'it\\'s', '\\u00e9\\x41'] });"), {
      a: [1, Number.NEGATIVE_INFINITY, "it's", 'éA'],
    });
  });

  it('keeps "__proto__" a key, never the prototype', () => {
    const v = parseRelaxedJson('{ __proto__: { polluted: true } }') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.keys(v), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('runs nothing: identifiers, calls, template substitutions and computed keys are errors, with the offset', () => {
    const cases: [string, RegExp, number][] = [
      ['{ a: process.env.HOME }', /"process" is not a value/, 5],
      [`{ a: \`x$${'{'}1}\` }`, /template string with a substitution/, 7],
      ['{ [k]: 1 }', /computed key/, 2],
      ['{ a: 1 } + 1', /unexpected "\+" after the value/, 9],
      ['{ a: "x', /string that never ends/, 5],
      ['/* x', /comment that never ends/, 0],
      [`${'['.repeat(300)}${']'.repeat(300)}`, /nested more than 200 levels/, 201],
    ];
    for (const [text, message, offset] of cases) {
      assert.throws(
        () => parseRelaxedJson(text),
        (e: unknown) => e instanceof RelaxedJsonError && message.test(e.message) && e.offset === offset,
        text,
      );
    }
  });
});

describe('loadEcosystemFile: PM2 dialect', () => {
  it('a .json file in JavaScript syntax loads, and "pm2:" is "apps:"', async () => {
    const file = tmp.write('js-syntax.json', "{ pm2: [{ name: 'api', script: 'app.js', },], }");
    const eco = await loadEcosystemFile(file);
    assert.deepEqual(eco.apps, [{ name: 'api', script: 'app.js' }]);
    const cjs = tmp.write(
      'pm2-key.config.cjs',
      "module.exports = { pm2: [{ name: 'w', script: 'app.js' }] };",
    );
    assert.deepEqual((await loadEcosystemFile(cjs)).apps, [{ name: 'w', script: 'app.js' }]);
    const bad = tmp.write('pm2-bad.json', '{ pm2: 3 }');
    await assert.rejects(loadEcosystemFile(bad), /"pm2" must be a list of apps, got number 3/);
  });

  it("deploy.<env>.env is under each app's env_<env>: --env selects it, the app's own section wins", async () => {
    const file = tmp.write(
      'deploy.json',
      `{ apps: [
          { name: 'a', script: 'app.js', env: { FOO: 'base' }, env_production: { FOO: 'app', BAR: 'app' } },
          { name: 'b', script: 'app.js', env: { FOO: 'base' } },
        ],
        deploy: { production: { user: 'x', env: { FOO: 'deploy', BAR: 'deploy', BAZ: 'deploy' } }, staging: {} } }`,
    );
    const eco = await loadEcosystemFile(file);
    const specs = normalizeApps(inputFor(tmp.dir, eco.apps, { envName: 'production', callerEnv: {} }));
    const vars = (name: string) => {
      const env = specs.find((s) => s.name === name)!.env;
      return [env.FOO, env.BAR, env.BAZ];
    };
    assert.deepEqual(vars('a'), ['app', 'app', 'deploy']);
    assert.deepEqual(vars('b'), ['deploy', 'deploy', 'deploy']);
    // Without --env: env alone.
    const plain = normalizeApps(inputFor(tmp.dir, eco.apps, { envName: null, callerEnv: {} }));
    assert.deepEqual(
      plain.map((s) => [s.env.FOO, s.env.BAZ]),
      [
        ['base', undefined],
        ['base', undefined],
      ],
    );
  });
});

describe('env values as PM2 passes them', () => {
  it('an object or a list is its JSON text, in env and env_<name>', () => {
    const [spec] = normalizeApps(
      inputFor(
        tmp.dir,
        [
          {
            script: 'app.js',
            env: { CONFIG: { db: { host: 'h' } }, LIST: [1, 'a'] },
            env_production: { EMPTY: {} },
          },
        ],
        { envName: 'production', callerEnv: {} },
      ),
    );
    assert.equal(spec!.env.CONFIG, '{"db":{"host":"h"}}');
    assert.equal(spec!.env.LIST, '[1,"a"]');
    assert.equal(spec!.env.EMPTY, '{}');
  });
});

describe('parseEcosystemText (start - : the file from stdin)', () => {
  const opts = { source: '<stdin>', baseDir: '/srv/app' };
  it('JSON and JavaScript object syntax by their first character, YAML otherwise', async () => {
    const json = await parseEcosystemText('// c\n{ apps: [{ script: "a.js" }] }', opts);
    assert.deepEqual(json, { apps: [{ script: 'a.js' }], source: '<stdin>', baseDir: '/srv/app' });
    const yaml = await parseEcosystemText('apps:\n  - script: a.js\n    name: x\n', opts);
    assert.deepEqual(yaml.apps, [{ script: 'a.js', name: 'x' }]);
    const forced = await parseEcosystemText('{ apps: [{ script: a.js }] }', { ...opts, format: 'yaml' });
    assert.deepEqual(forced.apps, [{ script: 'a.js' }]);
  });

  it('empty or broken text is TEND_ERR_CONFIG_INVALID naming <stdin>', async () => {
    for (const [text, detail] of [
      ['  \n', /no text to read/],
      ['{ apps: [', /invalid JSON at line 1, column 10: unexpected end of the file/],
    ] as const) {
      await assert.rejects(
        parseEcosystemText(text, opts),
        (e: unknown) =>
          isTendError(e) &&
          e.code === 'TEND_ERR_CONFIG_INVALID' &&
          e.data.where === '<stdin>' &&
          detail.test(String(e.data.detail)),
      );
    }
  });
});
