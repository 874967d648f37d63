// Strings written into k8s.yaml and compose.yaml read back as the same strings by a YAML 1.1 reader and a
// 1.2 reader (the audit: an env value `0o17` was written plain, which 1.2 reads as the number 15).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { checkExport } from '../../../src/export/check.js';
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
    // A real YAML 1.1 reader too (eighth audit: `value: <<` was written plain, a merge key to PyYAML and
    // go-yaml, and both refused the file).
    const py = readByPyYaml(k8s) as
      | { spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } } }[]
      | null;
    const pyCompose = readByPyYaml(compose) as { services: { x: { environment: unknown } } }[] | null;
    if (py !== null && pyCompose !== null) {
      const pyEnv = Object.fromEntries(
        py[0]?.spec.template.spec.containers[0]?.env.map((e) => [e.name, e.value]) ?? [],
      );
      assert.deepEqual(pyEnv, env);
      assert.deepEqual(pyCompose[0]?.services.x.environment, env);
    }
    assert.match(compose, /^ {6}V\d+: "<<"$/m);
  });

  test('a `<<` key (a compose environment name) is quoted: not a merge key to a YAML 1.1 reader', async () => {
    const input = await inputFor([{ name: 'x', env: { '<<': 'v' } }]);
    const compose = renderExport('compose', input).files[0]?.content ?? '';
    assert.match(compose, /^ {6}"<<": v$/m);
    assert.deepEqual(parse(compose, { version: '1.1' }).services.x.environment, { '<<': 'v' });
    const py = readByPyYaml(compose) as { services: { x: { environment: unknown } } }[] | null;
    if (py !== null) assert.deepEqual(py[0]?.services.x.environment, { '<<': 'v' });
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

/**
 * The text as a YAML 1.1 reader (go-yaml, libyaml) sees its lines: NEL, LS and PS are line breaks there
 * (go-yaml's is_break), not to the npm yaml library. Parsed after that, it is what kubectl would read.
 */
const asGoYaml = (text: string) => text.replace(/[\u0085\u2028\u2029]/g, '\n');
const pyyaml = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });

/** PyYAML's reading of `text` (all documents, JSON), or null when python3 with PyYAML is not there. */
function readByPyYaml(text: string): unknown[] | null {
  if (pyyaml.error || pyyaml.status !== 0) return null;
  const r = spawnSync(
    'python3',
    ['-c', 'import sys, json, yaml; print(json.dumps([d for d in yaml.safe_load_all(sys.stdin.read())]))'],
    { input: text, encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as unknown[];
}

// The fifth audit's injection: PS (U+2029) starts a new line for a YAML 1.1 reader.
const PS_INJECTION = 'x\u2029    privileged:\u2029      true\u2029    volumes:\u2029      - /:/host';
const K8S_INJECTION =
  'x\u2029          workingDir:\u2029            /\u2029          stdin:\u2029            true';

describe('line breaks of YAML 1.1 (NEL, LS, PS) are escaped, never written raw', () => {
  test('compose: the injection stays one env value for every reader, no privileged key', async () => {
    const input = await inputFor([
      { name: 'api', env: { GREETING: PS_INJECTION, B: 'a\u2028b\u0085c\u0086' } },
    ]);
    const compose = renderExport('compose', input).files[0]?.content ?? '';
    assert.doesNotMatch(compose, /[\u0080-\u009f\u2028\u2029]/);
    assert.match(compose, /GREETING: "x\\P {4}privileged:\\P/);
    for (const text of [compose, asGoYaml(compose)])
      for (const version of VERSIONS) {
        const api = parse(text, { version }).services.api;
        assert.equal(api.privileged, undefined);
        assert.equal(api.volumes, undefined);
        assert.deepEqual(api.environment, { B: 'a\u2028b\u0085c\u0086', GREETING: PS_INJECTION });
      }
    const py = readByPyYaml(compose) as { services: { api: Record<string, unknown> } }[] | null;
    if (py !== null) {
      assert.equal(py[0]?.services.api.privileged, undefined);
      assert.deepEqual(py[0]?.services.api.environment, {
        B: 'a\u2028b\u0085c\u0086',
        GREETING: PS_INJECTION,
      });
    }
  });

  test('k8s: the container gets no workingDir or stdin, the env value is intact (keys too)', async () => {
    const input = await inputFor([{ name: 'api', env: { ZZ: K8S_INJECTION } }]);
    const k8s = renderExport('k8s', input).files[0]?.content ?? '';
    assert.doesNotMatch(k8s, /[\u0080-\u009f\u2028\u2029]/);
    const readers: [string, unknown[] | null][] = [
      ['yaml', parseAllDocuments(k8s).map((d) => d.toJS())],
      ['as go-yaml', parseAllDocuments(asGoYaml(k8s)).map((d) => d.toJS())],
      ['PyYAML', readByPyYaml(k8s)],
    ];
    for (const [reader, docs] of readers) {
      if (docs === null) continue;
      const c = (docs as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }[]).find(
        (d) => d !== null,
      )?.spec.template.spec.containers[0] as { env: { name: string; value: string }[] } & Record<
        string,
        unknown
      >;
      assert.equal(c.workingDir, undefined, reader);
      assert.equal(c.stdin, undefined, reader);
      assert.deepEqual(c.env, [{ name: 'ZZ', value: K8S_INJECTION }], reader);
    }
    const keys = await inputFor([{ name: 'api', env: { 'K\u2028EY': 'v' } }]);
    const compose = renderExport('compose', keys).files[0]?.content ?? '';
    assert.deepEqual(parse(asGoYaml(compose)).services.api.environment, { 'K\u2028EY': 'v' });
  });

  test('--check reports a raw NEL, LS or PS in k8s.yaml or compose.yaml as a finding', async () => {
    const raw = `services:\n  api:\n    image: x\n    environment:\n      A: ${PS_INJECTION}\n`;
    const report = await checkExport('compose', [{ name: 'compose.yaml', content: raw }]);
    assert.equal(report.ran, true);
    assert.match(
      report.findings.join('\n'),
      /compose\.yaml: line 5 holds U\+2029 unescaped, which a YAML 1\.1 reader/,
    );
    const k8s = await checkExport('k8s', [{ name: 'k8s.yaml', content: '# a\u0085b\n' }]);
    assert.match(k8s.findings.join('\n'), /k8s\.yaml: line 1 holds U\+0085/);
    const input = await inputFor([{ name: 'api', env: { A: PS_INJECTION } }]);
    const ok = await checkExport('compose', renderExport('compose', input).files);
    assert.deepEqual(ok.ran ? ok.findings : [], []);
  });
});
