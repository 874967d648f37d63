// Seventh audit, YAML and probe hosts: DEL (U+007F) is outside the printable set of go-yaml and libyaml, so
// written raw it made kubectl and docker compose refuse the whole file while --check said ok; and a probe
// host that is this machine to tend in any spelling (0.0.0.0, ::, 127.0.0.2, 127.1) is the node to the
// kubelet, not the pod: no host is written for it, as for 127.0.0.1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { checkExport } from '../../../src/export/check.js';
import { isLoopback, knownPort } from '../../../src/export/env.js';
import { renderExport } from '../../../src/export/render.js';
import { YAML11_UNSAFE, yaml11Difference, yamlText } from '../../../src/export/yaml-text.js';
import { appsFixtures } from './support.js';

const { inputFor } = appsFixtures('tend-export-del-');
const noKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error
  ? 'kubectl is not installed'
  : false;

describe('DEL (U+007F) in YAML', () => {
  test('escaped as \\x7f inside double quotes, in k8s.yaml and compose.yaml; the value reads back whole', async () => {
    assert.ok(YAML11_UNSAFE.test('\u007f'));
    assert.equal(yamlText({ A: 'a\u007fb' }), 'A: "a\\x7fb"\n');
    const input = await inputFor([{ name: 'api', env: { SEP: 'a\u007fb' } }]);
    for (const target of ['k8s', 'compose'] as const) {
      const text = renderExport(target, input).files[0]?.content ?? '';
      assert.ok(!text.includes('\u007f'), `${target}: no raw DEL`);
      assert.match(text, /a\\x7fb/, target);
      const report = await checkExport(target, renderExport(target, input).files);
      assert.deepEqual(report.ran ? report.findings : [], [], target);
    }
    const compose = parse(renderExport('compose', input).files[0]?.content ?? '');
    assert.deepEqual(compose.services.api.environment, { SEP: 'a\u007fb' });
    // A key too (compose's environment names; Kubernetes refuses such a variable name before).
    const keys = await inputFor([{ name: 'api', env: { 'K\u007fEY': 'v' } }]);
    const text = renderExport('compose', keys).files[0]?.content ?? '';
    assert.ok(!text.includes('\u007f'));
    assert.deepEqual(parse(text).services.api.environment, { 'K\u007fEY': 'v' });
  });

  test("kubectl parses the file it would refuse raw (its YAML reader is go-yaml's)", {
    skip: noKubectl,
  }, async () => {
    const input = await inputFor([{ name: 'api', env: { SEP: 'a\u007fb' } }]);
    const text = renderExport('k8s', input).files[0]?.content ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'tend-export-del-kubectl-'));
    try {
      // No cluster here: kubectl parses the file first ("error parsing" for a raw DEL), then fails to reach
      // the server, which is not what this checks.
      const parseErrors = (content: string) => {
        writeFileSync(join(dir, 'k8s.yaml'), content);
        const r = spawnSync(
          'kubectl',
          [
            'create',
            '--dry-run=client',
            '--validate=false',
            '-f',
            join(dir, 'k8s.yaml'),
            '--request-timeout=2s',
          ],
          { encoding: 'utf8', timeout: 30_000, env: { ...process.env, KUBECONFIG: join(dir, 'none') } },
        );
        return /error parsing|control characters/.test(r.stderr) ? r.stderr : '';
      };
      assert.equal(parseErrors(text), '');
      const raw = text.replace('"a\\x7fb"', 'a\u007fb');
      assert.notEqual(raw, text);
      assert.match(parseErrors(raw), /control characters are not allowed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--check reports a raw DEL (a hand-edited file) as a finding', async () => {
    assert.match(
      yaml11Difference('a: 1\nb: x\u007fy\n') ?? '',
      /^line 2 holds U\+007F unescaped, which a YAML 1\.1 reader .* refuses/,
    );
    const report = await checkExport('k8s', [
      { name: 'k8s.yaml', content: 'kind: x\nmetadata: {name: "a\u007f"}\n' },
    ]);
    assert.equal(report.ran, true);
    assert.match(report.findings.join('\n'), /k8s\.yaml: line 2 holds U\+007F/);
  });
});

describe('probe hosts that are this machine', () => {
  test('0.0.0.0, ::, [::], 127.0.0.0/8 (127.1 too), ::ffff:127.0.0.1: local; others not', () => {
    for (const h of [
      '127.0.0.1',
      'localhost',
      '::1',
      '[::1]',
      '0.0.0.0',
      '::',
      '[::]',
      '127.0.0.2',
      '127.255.1.9',
      '127.1',
      '::ffff:127.0.0.1',
      'LOCALHOST',
    ])
      assert.equal(isLoopback(h), true, h);
    for (const h of [
      '10.0.0.1',
      '128.0.0.1',
      '1270.0.0.1',
      '127.example.com',
      'db',
      '::2',
      'metrics.internal',
    ])
      assert.equal(isLoopback(h), false, h);
  });

  test("k8s writes no host for them (the kubelet probes the pod) and takes their port as the app's", async () => {
    const input = await inputFor([
      { name: 'a', readiness_probe: { tcp_socket: { host: '0.0.0.0', port: 3000 } } },
      { name: 'b', readiness_probe: { http_get: { host: '127.0.0.2', port: 3001, path: '/' } } },
      { name: 'c', readiness_probe: { http_get: { host: '::', port: 3002, path: '/' } } },
      { name: 'd', readiness_probe: { tcp_socket: { host: 'db.internal', port: 5432 } } },
    ]);
    const docs = parseAllDocuments(renderExport('k8s', input).files[0]?.content ?? '').map((d) => d.toJS());
    const probe = (name: string) =>
      docs.find((o) => o.kind === 'Deployment' && o.metadata.name === name).spec.template.spec.containers[0]
        .readinessProbe;
    assert.deepEqual(probe('a').tcpSocket, { port: 3000 });
    assert.equal(probe('b').httpGet.host, undefined);
    assert.equal(probe('c').httpGet.host, undefined);
    assert.equal(probe('d').tcpSocket.host, 'db.internal');
    // Their port is the app's: a Service for each, none for the database's.
    assert.deepEqual(
      docs.filter((o) => o.kind === 'Service').map((o) => o.metadata.name),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(input.apps.map(knownPort), [3000, 3001, 3002, null]);
  });
});
