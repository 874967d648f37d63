// Seventh audit, YAML and probe hosts: DEL (U+007F) is outside the printable set of go-yaml and libyaml, so
// written raw it made kubectl and docker compose refuse the whole file while --check said ok; and a probe
// host that is this machine to tend in any spelling (0.0.0.0, ::, 127.0.0.2, 127.1) is the node to the
// kubelet, not the pod: no host is written for it, as for 127.0.0.1. Their verification: a lone surrogate in
// an env value was written as the escape "\ud800", which kubectl refuses, and `0`, `::0`,
// `0:0:0:0:0:0:0:1` and `localhost.` were still written as the probe host.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { checkExport } from '../../../src/export/check.js';
import { canonicalHost, isLoopback, knownPort } from '../../../src/export/env.js';
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

describe('a lone surrogate in an env value (verification of the seventh audit)', () => {
  // kubectl's go-yaml and libyaml refuse the escape "\ud800" the yaml library writes for it.
  const kubectlParse = (dir: string, content: string) => {
    writeFileSync(join(dir, 'k8s.yaml'), content);
    const r = spawnSync(
      'kubectl',
      ['create', '--dry-run=client', '--validate=false', '-f', join(dir, 'k8s.yaml'), '--request-timeout=2s'],
      { encoding: 'utf8', timeout: 30_000, env: { ...process.env, KUBECONFIG: join(dir, 'none') } },
    );
    return /error parsing|invalid Unicode/.test(r.stderr) ? r.stderr : '';
  };

  test('written as U+FFFD (what the process would get), warned by app and variable without the value; --check ok', async () => {
    const input = await inputFor([
      { name: 'api', env: { SEP: 'x\ud800y', LOW: '\udc00', PAIR: 'ok\ud83d\ude00' } },
    ]);
    for (const target of ['k8s', 'compose', 'systemd'] as const) {
      const r = renderExport(target, input);
      const text = r.files[0]?.content ?? '';
      assert.doesNotMatch(
        text,
        /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
        target,
      );
      assert.doesNotMatch(text, /\\u[dD][89a-fA-F]/, `${target}: no surrogate escape`);
      assert.ok(text.includes('x\ufffdy') && text.includes('ok\ud83d\ude00'), target);
      const warned = r.warnings.filter((w) => w.message.includes('surrogate'));
      assert.deepEqual(
        warned.map((w) => `${w.app} ${w.field}`),
        ['api env.LOW', 'api env.SEP'],
        target,
      );
      assert.match(
        warned[1]?.message ?? '',
        /^holds a lone UTF-16 surrogate \(U\+D800 at character 2\), which no environment carries .*: written as U\+FFFD; write the character meant/,
      );
      // The value is never in the message (a plain one here, but the rule is the same).
      assert.ok(!warned.some((w) => w.message.includes('x\ufffdy') || w.message.includes('x\ud800y')));
      const report = await checkExport(target, r.files);
      if (target !== 'systemd') assert.deepEqual(report.ran ? report.findings : [], [], target);
    }
    const compose = parse(renderExport('compose', input).files[0]?.content ?? '');
    assert.deepEqual(compose.services.api.environment, {
      LOW: '\ufffd',
      PAIR: 'ok\ud83d\ude00',
      SEP: 'x\ufffdy',
    });
  });

  test('compose: a name holding one is written with U+FFFD too, warned (no escape docker compose refuses)', async () => {
    const input = await inputFor([{ name: 'api', env: { 'K\udc00': 'v' } }]);
    const r = renderExport('compose', input);
    const text = r.files[0]?.content ?? '';
    assert.deepEqual(parse(text).services.api.environment, { 'K\ufffd': 'v' });
    assert.equal(yaml11Difference(text), null);
    assert.match(
      r.warnings.find((w) => w.field === 'env.K\udc00')?.message ?? '',
      /^the name holds a lone UTF-16 surrogate \(U\+DC00 at character 2\).*: written as K\ufffd/,
    );
  });

  test('--check reports a lone surrogate raw or escaped in a double-quoted scalar, not a text that only looks like one', () => {
    assert.match(
      yaml11Difference('a: 1\nb: "x\\ud800y"\n') ?? '',
      /^line 2 holds the escape \\ud800, a UTF-16 surrogate, which a YAML 1\.1 reader .* refuses \("found invalid Unicode character escape code"\)/,
    );
    // libyaml refuses a pair written as escapes too, and the 8-digit form.
    assert.match(yaml11Difference('a: "\\uD83D\\uDE00"\n') ?? '', /^line 1 holds the escape \\uD83D/);
    assert.match(yaml11Difference('k:\n  - "\\U0000dc00"\n') ?? '', /^line 2 holds the escape \\U0000dc00/);
    assert.match(yaml11Difference('a: x\ud800\n') ?? '', /^line 1 holds U\+D800, a lone UTF-16 surrogate/);
    // Text, not an escape: an escaped backslash, single quotes, a plain scalar, a comment; a raw pair.
    for (const text of [
      'a: "\\\\ud800"\n',
      "a: '\\ud800'\n",
      'a: C:\\ud800\n',
      '# "\\ud800"\na: 1\n',
      'a: "\\u0000d800"\n',
      'a: "\\u00e9 \\x7f ok\ud83d\ude00"\n',
    ])
      assert.equal(yaml11Difference(text), null, text);
  });

  test('kubectl parses the file, and refuses the escape the yaml library wrote before', {
    skip: noKubectl,
  }, async () => {
    const input = await inputFor([{ name: 'api', env: { SEP: 'x\ud800y' } }]);
    const text = renderExport('k8s', input).files[0]?.content ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'tend-export-surrogate-kubectl-'));
    try {
      assert.equal(kubectlParse(dir, text), '');
      const before = text.replace('x\ufffdy', '"x\\ud800y"');
      assert.notEqual(before, text);
      assert.match(kubectlParse(dir, before), /found invalid Unicode character escape code/);
      // --check says so now.
      const report = await checkExport('k8s', [{ name: 'k8s.yaml', content: before }]);
      assert.match(report.findings.join('\n'), /k8s\.yaml: line \d+ holds the escape \\ud800/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
      // Verification of the seventh audit: other spellings, compared in their canonical form.
      '0',
      '::0',
      '[::0]',
      '0:0:0:0:0:0:0:1',
      '0000::0001',
      'localhost.',
      'LocalHost.',
      '127.0.0.1.',
      '0x7f.1',
      '2130706433',
      '[::ffff:127.0.0.1]',
      '::ffff:7f00:2',
      '::ffff:0.0.0.0',
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
      '::7f00:1',
      '::ffff:10.0.0.1',
      'localhost..',
      'localhost.localdomain',
      '999.0.0.1',
      // Spellings the URL parser would make local but the prober's connect (getaddrinfo) does not take.
      'local%68ost',
      '\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54',
      'x@localhost',
      'local\thost',
    ])
      assert.equal(isLoopback(h), false, h);
  });

  test('canonicalHost: addresses as the URL parser writes them, a name without one trailing dot', () => {
    assert.deepEqual(
      ['0', '::0', '0:0:0:0:0:0:0:1', 'localhost.', 'DB.Internal.', '127.1', '::ffff:127.0.0.1', 'a b'].map(
        canonicalHost,
      ),
      ['0.0.0.0', '[::]', '[::1]', 'localhost', 'db.internal', '127.0.0.1', '[::ffff:7f00:1]', 'a b'],
    );
  });

  test("k8s writes no host for them (the kubelet probes the pod) and takes their port as the app's", async () => {
    const input = await inputFor([
      { name: 'a', readiness_probe: { tcp_socket: { host: '0.0.0.0', port: 3000 } } },
      { name: 'b', readiness_probe: { http_get: { host: '127.0.0.2', port: 3001, path: '/' } } },
      { name: 'c', readiness_probe: { http_get: { host: '::', port: 3002, path: '/' } } },
      { name: 'd', readiness_probe: { tcp_socket: { host: 'db.internal', port: 5432 } } },
      { name: 'e', readiness_probe: { tcp_socket: { host: '0', port: 3004 } } },
      { name: 'f', readiness_probe: { http_get: { host: '::0', port: 3005, path: '/' } } },
      { name: 'g', readiness_probe: { http_get: { host: '0:0:0:0:0:0:0:1', port: 3006, path: '/' } } },
      { name: 'h', readiness_probe: { tcp_socket: { host: 'localhost.', port: 3007 } } },
    ]);
    const docs = parseAllDocuments(renderExport('k8s', input).files[0]?.content ?? '').map((d) => d.toJS());
    const probe = (name: string) =>
      docs.find((o) => o.kind === 'Deployment' && o.metadata.name === name).spec.template.spec.containers[0]
        .readinessProbe;
    assert.deepEqual(probe('a').tcpSocket, { port: 3000 });
    assert.equal(probe('b').httpGet.host, undefined);
    assert.equal(probe('c').httpGet.host, undefined);
    assert.equal(probe('d').tcpSocket.host, 'db.internal');
    assert.deepEqual(probe('e').tcpSocket, { port: 3004 });
    assert.equal(probe('f').httpGet.host, undefined);
    assert.equal(probe('g').httpGet.host, undefined);
    assert.deepEqual(probe('h').tcpSocket, { port: 3007 });
    // Their port is the app's: a Service for each, none for the database's.
    assert.deepEqual(
      docs.filter((o) => o.kind === 'Service').map((o) => o.metadata.name),
      ['a', 'b', 'c', 'e', 'f', 'g', 'h'],
    );
    assert.deepEqual(input.apps.map(knownPort), [3000, 3001, 3002, null, 3004, 3005, 3006, 3007]);
  });
});
