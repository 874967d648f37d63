// Kubernetes names and ports the API server or the kubelet would refuse, or that would never work, while the
// kubernetes-models schemas accept them: a Service named with a leading digit (DNS-1035), a CronJob name
// past 52 characters, a probe on a named port the container does not have. The export makes valid names or
// refuses, coded; `--check` finds the same problems in a file it did not write (hand-edited).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { checkExport } from '../../../src/export/check.js';
import { renderExport } from '../../../src/export/render.js';
import { appsFixtures, refusal } from './support.js';

const { dir, inputFor } = appsFixtures('tend-export-k8s-names-');

describe('names', () => {
  test('a name starting with a digit: every object of the app is app-<name>, warned; --check passes', async () => {
    const input = await inputFor([
      { name: '2fa', env: { PORT: 8080 } },
      { name: '9lives', autorestart: false, cron_restart: '0 3 * * *' },
    ]);
    const r = renderExport('k8s', input);
    const docs = parseAllDocuments(r.files[0]?.content ?? '').map((d) => d.toJS());
    assert.deepEqual(
      docs.map((d) => `${d.kind}/${d.metadata.name}`),
      ['Deployment/app-2fa', 'Service/app-2fa', 'CronJob/app-9lives'],
    );
    assert.equal(docs[0].spec.template.spec.containers[0].name, 'app-2fa');
    assert.deepEqual(docs[1].spec.selector, { 'app.kubernetes.io/name': 'app-2fa' });
    assert.ok(
      r.warnings.some(
        (w) =>
          w.app === '2fa' && /not a valid Kubernetes name: the objects are named app-2fa/.test(w.message),
      ),
    );
    assert.deepEqual((await checkExport('k8s', r.files)).findings, []);
  });

  test('a CronJob name over 52 characters: refused, naming the app and the limit; 52 is fine', async () => {
    const long = 'a'.repeat(53);
    const input = await inputFor([{ name: long, autorestart: false, cron_restart: '0 3 * * *' }]);
    const e = refusal(() => renderExport('k8s', input));
    assert.equal(e.code, 'TEND_ERR_EXPORT_UNSAFE_VALUE');
    assert.equal(e.exitCode, 2);
    assert.deepEqual([e.data.app, e.data.field], [long, 'name']);
    assert.match(e.message, /53 characters\); Kubernetes allows at most 52 for a CronJob/);
    const ok = await inputFor([{ name: 'a'.repeat(52), autorestart: false, cron_restart: '0 3 * * *' }]);
    assert.deepEqual((await checkExport('k8s', renderExport('k8s', ok).files)).findings, []);
    // The same length as a Deployment (no CronJob): fine, a Deployment's name may be longer.
    const svc = await inputFor([{ name: long }]);
    assert.deepEqual((await checkExport('k8s', renderExport('k8s', svc).files)).findings, []);
  });

  test('--check finds a Service named with a leading digit and a CronJob name over 52 (hand-edited)', async () => {
    const input = await inputFor([
      { name: 'web', env: { PORT: 8080 } },
      { name: 'nightly', autorestart: false, cron_restart: '0 3 * * *' },
    ]);
    const text = renderExport('k8s', input).files[0]?.content ?? '';
    const edited = text
      .replace(/(kind: Service\nmetadata:\n {2}name:) web/, '$1 2web')
      .replace(/(kind: CronJob\nmetadata:\n {2}name:) nightly/, `$1 ${'n'.repeat(53)}`);
    assert.notEqual(edited, text);
    const { findings } = await checkExport('k8s', [{ name: 'k8s.yaml', content: edited }]);
    assert.match(findings.join('\n'), /Service 2web: name "2web" is not a DNS-1035 label/);
    assert.match(
      findings.join('\n'),
      /CronJob n{53}: name "n{53}" is 53 characters; a CronJob's is at most 52/,
    );
  });
});

describe('probe ports', () => {
  test('a $PORT probe whose PORT comes from an env_file: refused, naming the app, the probe and the fix', async () => {
    const envFile = join(dir, 'port.env');
    writeFileSync(envFile, 'PORT=3000\n');
    const input = await inputFor([
      { name: 'api', env_file: envFile, readiness_probe: { http_get: { port: '$PORT', path: '/' } } },
    ]);
    const e = refusal(() => renderExport('k8s', input));
    assert.equal(e.code, 'TEND_ERR_EXPORT_UNSAFE_VALUE');
    assert.deepEqual([e.data.app, e.data.field], ['api', 'readiness_probe.http_get.port']);
    assert.match(e.message, /set PORT in the app's env, or give the probe a numeric port/);
    // PORT in env: the probe is on the container's http port.
    const ok = await inputFor([
      { name: 'api', env: { PORT: 3000 }, readiness_probe: { tcp_socket: { port: '$PORT' } } },
    ]);
    assert.deepEqual((await checkExport('k8s', renderExport('k8s', ok).files)).findings, []);
  });

  test('--check finds a probe on a named port the container does not have, and a port declared twice', async () => {
    const input = await inputFor([
      { name: 'api', env: { PORT: 3000 }, readiness_probe: { tcp_socket: { port: '$PORT' } } },
    ]);
    const text = renderExport('k8s', input).files[0]?.content ?? '';
    const edited = text.replace(
      /- name: http\n(\s+)containerPort: 3000/,
      '- name: web\n$1containerPort: 9616',
    );
    assert.notEqual(edited, text);
    const { findings } = await checkExport('k8s', [{ name: 'k8s.yaml', content: edited }]);
    assert.match(
      findings.join('\n'),
      /readinessProbe uses port "http", which is not among the container's ports/,
    );
    assert.match(findings.join('\n'), /containerPort 9616 is declared twice/);
  });
});

describe('a PORT that is no port (fourth audit: dropped without a word)', () => {
  test('70000, abc, 0: warned, naming the value; no http port, Service or tcpSocket probe', async () => {
    const input = await inputFor([
      { name: 'big', env: { PORT: '70000' } },
      { name: 'word', env: { PORT: 'abc' } },
      { name: 'zero', env: { PORT: 0 } },
      { name: 'fine', env: { PORT: 8080 } },
    ]);
    const out = renderExport('k8s', input);
    const said = out.warnings.filter((w) => w.field === 'env.PORT').map((w) => `${w.app}: ${w.message}`);
    assert.deepEqual(said, [
      'big: "70000" is no TCP port (1-65535): no http port, Service or tcpSocket readiness probe is written for it',
      'word: "abc" is no TCP port (1-65535): no http port, Service or tcpSocket readiness probe is written for it',
      'zero: "0" is no TCP port (1-65535): no http port, Service or tcpSocket readiness probe is written for it',
    ]);
    assert.match(out.files[0]?.content ?? '', /kind: Service\n(?:.*\n){1,3}\s+name: fine\n/);
  });
});

describe('a privileged port (tenth audit: a non-root pod without capabilities cannot bind it)', () => {
  test('80 is warned with the way out; 1024 and 8080 are not', async () => {
    const input = await inputFor([
      { name: 'web', env: { PORT: 80 } },
      { name: 'edge', env: { PORT: 1024 } },
      { name: 'fine', env: { PORT: 8080 } },
    ]);
    const said = renderExport('k8s', input)
      .warnings.filter((w) => w.field === 'env.PORT')
      .map((w) => `${w.app}: ${w.message}`);
    assert.equal(said.length, 1, said.join('\n'));
    assert.match(
      said[0] ?? '',
      /^web: 80 is a privileged port: the pod runs as uid 1000 without capabilities.*port of 1024 or more/,
    );
  });
});

describe('no port known, an env_file (seventh audit: no Service, no readiness, no word)', () => {
  test('warned: the file is read only at run time; what is not written; set port: or PORT in env', async () => {
    // The file holds PORT=3000, the usual .env; the export never reads its values.
    const env = join(dir, 'port.env');
    writeFileSync(env, 'PORT=3000\n');
    const input = await inputFor([
      { name: 'api', env_file: env },
      { name: 'gated', env_file: env, wait_ready: true },
      { name: 'known', env_file: env, env: { PORT: 3000 } },
      { name: 'field', env_file: env, port: 3001 },
      { name: 'bare' },
      { name: 'once', env_file: env, autorestart: false },
    ]);
    const out = renderExport('k8s', input);
    const said = out.warnings.filter((w) => w.field === 'port').map((w) => `${w.app}: ${w.message}`);
    assert.deepEqual(said, [
      'api: no port known (no port:, no PORT in env); env_file is read only at run time: no Service and no readinessProbe written; set `port:` (or PORT in env)',
      'gated: no port known (no port:, no PORT in env); env_file is read only at run time: no Service written; set `port:` (or PORT in env)',
    ]);
    const services = parseAllDocuments(out.files[0]?.content ?? '')
      .map((d) => d.toJS())
      .filter((o) => o.kind === 'Service')
      .map((o) => o.metadata.name);
    assert.deepEqual(services, ['known', 'field']);
    // With --env production: both places are named.
    const prod = renderExport(
      'k8s',
      await inputFor([{ name: 'api', env_file: env }], { envName: 'production' }),
    );
    assert.match(
      prod.warnings.find((w) => w.field === 'port')?.message ?? '',
      /^no port known \(no port:, no PORT in env or env_production\);.*set `port:` \(or PORT in env or env_production\)$/,
    );
  });
});

describe("the runtime's health port", () => {
  test('an app on 9616: the health listener takes the first free port, everywhere it is written', async () => {
    const input = await inputFor([
      {
        name: 'web',
        env: { PORT: 9616 },
        wait_ready: true,
        liveness_probe: { tcp_socket: { port: 9617 } },
      },
    ]);
    const r = renderExport('k8s', input);
    const [deployment] = parseAllDocuments(r.files[0]?.content ?? '').map((d) => d.toJS());
    const pod = deployment.spec.template;
    const c = pod.spec.containers[0];
    assert.deepEqual(c.ports, [
      { name: 'http', containerPort: 9616 },
      { name: 'health', containerPort: 9618 },
    ]);
    assert.deepEqual(c.command.slice(-2), ['--health-listen', '0.0.0.0:9618']);
    assert.equal(pod.metadata.annotations['prometheus.io/port'], '9618');
    assert.deepEqual(c.readinessProbe.httpGet, { path: '/readyz', port: 'health' });
    assert.ok(r.warnings.some((w) => w.field === 'health listener' && /is on 9618/.test(w.message)));
    assert.deepEqual((await checkExport('k8s', r.files)).findings, []);
    // Any other app keeps 9616.
    const other = renderExport('k8s', await inputFor([{ name: 'web', env: { PORT: 3000 } }]));
    assert.match(other.files[0]?.content ?? '', /0\.0\.0\.0:9616/);
  });
});

describe('environment variable names', () => {
  test('a name Kubernetes 1.30/1.31 refuses (a blank, a leading digit): refused, naming the app, the variable and the fix', async () => {
    for (const bad of ['A B', '1X']) {
      const input = await inputFor([{ name: 'api', env: { [bad]: 'v', OK: '1' } }]);
      const e = refusal(() => renderExport('k8s', input));
      assert.equal(e.code, 'TEND_ERR_EXPORT_UNSAFE_VALUE');
      assert.deepEqual([e.data.app, e.data.field], ['api', `env.${bad}`]);
      assert.match(e.message, /is not a Kubernetes environment variable name/);
      assert.match(e.message, /rename the variable/);
    }
    // The API server's own rule, not a C identifier's: "." and "-" are allowed.
    const ok = await inputFor([{ name: 'api', env: { 'A.B': '1', 'x-y': '2', _Z: '3' } }]);
    assert.deepEqual((await checkExport('k8s', renderExport('k8s', ok).files)).findings, []);
  });

  test('a secret-looking variable whose name is no Secret key: refused, never written as secretKeyRef.key or in the kubectl command', async () => {
    const input = await inputFor([{ name: 'api', env: { 'MY_SECRET.KEY!': 's3cr3t' } }]);
    const e = refusal(() => renderExport('k8s', input));
    assert.equal(e.code, 'TEND_ERR_EXPORT_UNSAFE_VALUE');
    assert.deepEqual([e.data.app, e.data.field], ['api', 'env.MY_SECRET.KEY!']);
    assert.match(e.message, /"MY_SECRET\.KEY!" is not a Secret key .*: Secret api-secrets cannot hold it/);
    // "." is a variable name Kubernetes takes, but no Secret key (secret by its value).
    const dot = await inputFor([{ name: 'api', env: { '.': 'postgres://u:pw@db/x' } }]);
    const d = refusal(() => renderExport('k8s', dot));
    assert.equal(d.data.field, 'env..');
    assert.doesNotMatch(d.message, /environment variable name/);
    assert.match(d.message, /"\." is not a Secret key/);
  });

  test('--check finds an env name and a secretKeyRef key the API server refuses (hand-edited)', async () => {
    const input = await inputFor([{ name: 'api', env: { PLAIN: '1', API_TOKEN: 't' } }]);
    const text = renderExport('k8s', input).files[0]?.content ?? '';
    const edited = text
      .replace('- name: PLAIN', '- name: 1 PLAIN')
      .replace('key: API_TOKEN', 'key: API_TOKEN!');
    assert.notEqual(edited, text);
    const { findings } = await checkExport('k8s', [{ name: 'k8s.yaml', content: edited }]);
    assert.match(
      findings.join('\n'),
      /container api: env "1 PLAIN" is not a Kubernetes environment variable name/,
    );
    assert.match(findings.join('\n'), /env API_TOKEN: secretKeyRef\.key "API_TOKEN!" is not a Secret key/);
  });
});
