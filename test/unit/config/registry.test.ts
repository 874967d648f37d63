// The field registry is the one declaration of each app field: what is derived from it agrees with it, and
// a flag means what the same text means in a file (`--kill-timeout 2d` and `kill_timeout: '2d'`).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KIND_PARSERS } from '../../../src/cli/options.js';
import { LOG_DEFAULTS } from '../../../src/config/log-fields.js';
import { normalizeApps } from '../../../src/config/normalize.js';
import { ALIASES, FIELDS, type FieldDef, fieldsOf } from '../../../src/config/registry/index.js';
import type { AppSpec } from '../../../src/config/spec.js';
import { policySettings } from '../../../src/supervisor/policy-settings.js';
import { inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
});
after(() => tmp.remove());

const specOf = (app: Record<string, unknown>): AppSpec =>
  normalizeApps(inputFor(tmp.dir, [{ script: 'app.js', ...app }]))[0] as AppSpec;
const all = FIELDS as readonly FieldDef[];

/** Texts users type, by kind, for flags and files alike. */
const SAMPLES: Partial<Record<FieldDef['kind'], string[]>> = {
  duration: ['2d', '1500', '10s', '1.5m', '250ms', '2H'],
  checkInterval: ['2d', '500', '1m'],
  size: ['10M', '512k', '1.5G', '4096', '200MB'],
  count: ['0', '7'],
  instances: ['3', '-1', 'max'],
  exitCodes: ['0,3'],
};

describe('field registry', () => {
  it('declares each field once, with a doc, a group and what a change needs', () => {
    const names = all.map((f) => f.name);
    assert.equal(new Set(names).size, names.length);
    const aliases = Object.values(ALIASES).flat();
    assert.equal(
      new Set([...names, ...aliases]).size,
      names.length + aliases.length,
      'an alias is also a field',
    );
    for (const f of all) assert.ok(f.doc && f.group && f.change, f.name);
  });

  it('a flag value means what the same text means in a file', () => {
    let compared = 0;
    for (const f of all) {
      const parse = KIND_PARSERS[f.kind];
      if (!parse || !f.flags?.some((flag) => /[<[]/.test(flag.syntax))) continue;
      for (const text of SAMPLES[f.kind] ?? []) {
        const fromFlag = specOf({ [f.name]: parse(text) });
        const fromFile = specOf({ [f.name]: f.kind === 'exitCodes' ? text.split(',') : text });
        const key = (f.specKey ?? f.name) as keyof AppSpec;
        assert.deepEqual(fromFlag[key], fromFile[key], `--${f.name} ${text}`);
        compared++;
      }
    }
    assert.ok(compared > 20, `only ${compared} comparisons`);
    assert.equal(specOf({ kill_timeout: KIND_PARSERS.duration?.('2d') }).kill_timeout, 2 * 86_400_000);
  });

  it('gives the defaults normalisation applies', () => {
    const spec = specOf({}) as unknown as Record<string, unknown>;
    for (const f of all) {
      // disable_logs is no spec field: it sets out_file and err_file (normalize.test.ts).
      if (f.default === undefined || f.name === 'disable_logs') continue;
      const value = spec[f.specKey ?? f.name];
      assert.deepEqual(value === false && f.name === 'watch' ? false : value, f.default, f.name);
    }
    for (const [field, value] of Object.entries(LOG_DEFAULTS)) {
      const declared = all.find((f) => f.name === field)?.default ?? null;
      assert.deepEqual(value, declared, field);
    }
  });

  it("describe's watch, memory and cron settings are the registry's group", () => {
    const { active: _, ...settings } = policySettings(specOf({}));
    // watch_options is shown from the config (cli/render/describe.ts): the policies' shape is the protocol's.
    const group = fieldsOf('watch, memory and cron').map((f) => f.name);
    assert.deepEqual(Object.keys(settings).sort(), group.filter((n) => n !== 'watch_options').sort());
  });
});
