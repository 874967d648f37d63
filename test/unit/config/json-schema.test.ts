// The JSON Schema of ecosystem files (config/json-schema.ts), checked with a real validator (ajv): the
// shipped file is the registry's schema, the repo's examples and PM2 files validate, and typos and wrong
// types are rejected, as an editor would underline them. Where the schema accepts a value, tend does too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ecosystemJsonSchema } from '../../../src/config/json-schema.js';
import { normalizeApps } from '../../../src/config/normalize.js';
import { FIELDS } from '../../../src/config/registry/index.js';
import { inputFor, makeTmp } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FIXTURES = join(import.meta.dirname, 'fixtures');
const require = createRequire(import.meta.url);

// strict: a schema keyword ajv does not know is an error, so a typo in the schema cannot pass unnoticed.
// Except strictRequired: `anyOf: [{ required: ['script'] }, { required: ['exec'] }]` names properties that
// the enclosing schema defines, which is valid JSON Schema.
const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
const validate = ajv.compile(ecosystemJsonSchema());
const errorsOf = (content: unknown) => (validate(content) ? [] : (validate.errors ?? []));
const valid = (content: unknown, what: string) =>
  assert.deepEqual(errorsOf(content), [], `${what} should validate`);

describe('JSON Schema of ecosystem files', () => {
  it('is shipped as schema/ecosystem.schema.json, equal to what the registry gives', () => {
    const shipped = JSON.parse(readFileSync(join(ROOT, 'schema', 'ecosystem.schema.json'), 'utf8'));
    assert.deepEqual(
      shipped,
      ecosystemJsonSchema(),
      'run `node bin/tend.js schema > schema/ecosystem.schema.json`',
    );
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.ok(pkg.files.includes('schema'), 'package.json "files" ships schema/');
  });

  it('describes every registry field and alias', () => {
    const props = (ecosystemJsonSchema().definitions as { app: { properties: Record<string, unknown> } }).app
      .properties;
    for (const f of FIELDS) {
      assert.ok(props[f.name], f.name);
      for (const alias of 'aliases' in f ? f.aliases : []) assert.ok(props[alias], alias);
    }
  });

  it("validates the repo's example and PM2's files unchanged", () => {
    valid(require(join(ROOT, 'examples', 'ecosystem.config.js')), 'examples/ecosystem.config.js');
    valid(JSON.parse(readFileSync(join(FIXTURES, 'pm2-wait-ready.json'), 'utf8')), 'PM2 wait-ready example');
    valid(require(join(FIXTURES, 'pm2-ecosystem.config.cjs')), 'PM2 ecosystem file with deploy');
    valid(parseYaml(readFileSync(join(FIXTURES, 'ecosystem.yaml'), 'utf8')), 'ecosystem.yaml');
    // The other shapes tend reads: a list of apps, one app, `$schema` beside `apps`.
    valid([{ script: 'a.js' }], 'a list');
    valid({ script: 'a.js', name: 'a' }, 'one app');
    valid(
      { $schema: './node_modules/tend/schema/ecosystem.schema.json', apps: [{ exec: 'a.js' }] },
      '$schema',
    );
  });

  it('rejects typos and wrong types, naming the field', () => {
    const bad = (app: Record<string, unknown>) => {
      const errors = errorsOf({ apps: [{ script: 'a.js', ...app }] });
      assert.notDeepEqual(errors, [], `${JSON.stringify(app)} should be rejected`);
      return errors.map(
        (e) =>
          `${e.instancePath} ${e.params && 'additionalProperty' in e.params ? e.params.additionalProperty : ''}`,
      );
    };
    assert.ok(bad({ max_restart: 3 }).some((e) => e.includes('max_restart')));
    assert.ok(bad({ instances: 'many' }).some((e) => e.startsWith('/apps/0/instances')));
    assert.ok(bad({ kill_timeout: '10 seconds' }).some((e) => e.startsWith('/apps/0/kill_timeout')));
    assert.ok(bad({ exec_mode: 'forky' }).some((e) => e.startsWith('/apps/0/exec_mode')));
    assert.ok(bad({ max_memory_restart: '200Q' }).some((e) => e.startsWith('/apps/0/max_memory_restart')));
    // An object value is fine (passed as its JSON text, as PM2 does); env itself must be an object.
    assert.ok(bad({ env: 'PORT=1' }).some((e) => e.startsWith('/apps/0/env')));
    assert.ok(bad({ name: '42' }).some((e) => e.startsWith('/apps/0/name')));
    assert.ok(bad({ stop_exit_codes: [0, 300] }).some((e) => e.startsWith('/apps/0/stop_exit_codes')));
    assert.notDeepEqual(errorsOf({ apps: [{ name: 'no-script' }] }), []);
    assert.notDeepEqual(errorsOf({ apps: [] }), []);
  });

  it('accepts only what tend accepts for durations, sizes and booleans (one grammar each)', () => {
    const tmp = makeTmp();
    tmp.write('a.js', '');
    try {
      const cases: Record<string, unknown>[] = [
        { kill_timeout: '2d' },
        { kill_timeout: '1.5S' },
        { min_uptime: ' 3 s ' },
        { max_size: '10MB' },
        { max_memory_restart: '1.5g' },
        { autorestart: 'FALSE' },
        { instances: 'MAX' },
        { kill_timeout: '10 seconds' },
        { max_size: '10 MiB' },
        { autorestart: 'no' },
      ];
      for (const app of cases) {
        const bySchema = errorsOf({ apps: [{ script: 'a.js', ...app }] }).length === 0;
        let byTend = true;
        try {
          normalizeApps(inputFor(tmp.dir, [{ script: 'a.js', ...app }]));
        } catch {
          byTend = false;
        }
        assert.equal(bySchema, byTend, `${JSON.stringify(app)}: schema ${bySchema}, tend ${byTend}`);
      }
    } finally {
      tmp.remove();
    }
  });
});
