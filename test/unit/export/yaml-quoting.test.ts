// Strings written into k8s.yaml and compose.yaml read back as the same strings by a YAML 1.1 reader and a
// 1.2 reader (the audit: an env value `0o17` was written plain, which 1.2 reads as the number 15).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { renderExport } from '../../../src/export/render.js';
import { needsQuotes } from '../../../src/export/yaml-text.js';
import { appsFixtures } from './support.js';

const { inputFor } = appsFixtures('tend-export-yaml-');

// Each is a string some YAML reader takes for something else: octal, hex, binary, booleans of 1.1, null,
// floats, infinities, timestamps, sexagesimal, digits with underscores, merge keys.
const TRICKY = [
  '0o17',
  '0x10',
  '0b101',
  '0777',
  '08',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'True',
  'NO',
  '~',
  'null',
  'Null',
  '',
  '1e3',
  '.inf',
  '-.inf',
  '.NaN',
  '-.5',
  '+1',
  '1.',
  '1_000',
  '1:20',
  '190:20:30',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '<<',
  '=',
  ' lead',
  'trail ',
  'a: b',
  '- x',
  '#c',
  '@x',
  '`x',
  '!x',
  '&a',
  '*a',
  '%x',
  '|',
  '>',
  "'",
  '"',
];

const VERSIONS = ['1.1', '1.2'] as const;

describe('YAML values read back as the same strings in YAML 1.1 and 1.2', () => {
  test('env values in k8s.yaml and compose.yaml', async () => {
    const env = Object.fromEntries(TRICKY.map((v, i) => [`V${i}`, v]));
    const input = await inputFor([{ name: 'x', env }]);
    const k8s = renderExport('k8s', input).files[0]?.content ?? '';
    const compose = renderExport('compose', input).files[0]?.content ?? '';
    for (const version of VERSIONS) {
      const [deployment] = parseAllDocuments(k8s, { version }).map((d) => d.toJS());
      const k8sEnv = Object.fromEntries(
        deployment.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [
          e.name,
          e.value,
        ]),
      );
      const composeEnv = parse(compose, { version }).services.x.environment;
      for (const [k, v] of Object.entries(env)) {
        assert.equal(k8sEnv[k], v, `k8s, YAML ${version}: ${JSON.stringify(v)}`);
        assert.equal(composeEnv[k], v, `compose, YAML ${version}: ${JSON.stringify(v)}`);
      }
    }
  });

  test('keys too (compose environment names), and plain words stay unquoted', async () => {
    const input = await inputFor([{ name: 'x', env: { on: '1', '0o17': 'a', plain: 'word' } }]);
    const compose = renderExport('compose', input).files[0]?.content ?? '';
    for (const version of VERSIONS)
      assert.deepEqual(
        parse(compose, { version }).services.x.environment,
        { '0o17': 'a', on: '1', plain: 'word' },
        version,
      );
    assert.match(compose, /^ {6}plain: word$/m);
    assert.equal(needsQuotes('production'), false);
    assert.equal(needsQuotes('0o17'), true);
  });
});
