// No secret written out by `tend export`, by name or by value (src/protocol/secrets.ts, the rule `tend env`
// masks with): the audit's variables, each referenced (systemd's /etc/tend/<app>.env, a Secret's key,
// compose's shell) and warned about, never inlined in any target.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { ExportTarget } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
import { TendError } from '../../../src/protocol/errors.js';
import { EXPORT_FIXTURES, inputOf, loadFixture } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-export-secrets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = {
  DATABASE_URL: 'postgres://u:p4ss-secret1@db/x',
  REDIS_URL: 'redis://:s3cr3t-secret2@r:6379',
  DB_PASS: 'plainpw-secret3',
  MYSQL_PWD: 'pw2-secret4',
  AUTH: 'Bearer xyz-secret5',
  UPSTREAM: 'Basic dXNlcjpw-secret6',
  CREDENTIALS: '{"k":"v-secret7"}',
  TLS: '-----BEGIN PRIVATE KEY-----\nsecret8\n-----END PRIVATE KEY-----',
  PRIVATE_THING: 'secret9',
};

test('secrets by name or by value: referenced and warned in every target, their values nowhere', async () => {
  const file = join(dir, 'e.json');
  const env = { ...SECRETS, NODE_ENV: 'production', PUBLIC_URL: 'https://shop.example/a' };
  writeFileSync(
    file,
    JSON.stringify({ apps: [{ name: 'api', script: relative(dir, join(EXPORT_FIXTURES, 'app.cjs')), env }] }),
  );
  const input = inputOf(await loadFixture(file), { image: 'img:1' });
  const names = Object.keys(SECRETS).sort();
  for (const target of ['systemd', 'k8s', 'compose'] as ExportTarget[]) {
    const { files, warnings } = renderExport(target, input);
    const text = files.map((f) => f.content).join('\n');
    assert.doesNotMatch(text, /secret\d/, target);
    for (const name of names) assert.match(text, new RegExp(`\\b${name}\\b`), `${target} references ${name}`);
    assert.match(text, /production/, target);
    assert.match(text, /https:\/\/shop\.example\/a/, target);
    assert.deepEqual(
      warnings.map((w) => w.field),
      [`env.${names.join(', env.')}`],
      target,
    );
  }
});

// The second audit's values (its sec.config.js): each carries a credential whatever the variable's name.
const BY_VALUE = {
  SENTRY_DSN: 'https://abcdef0123456789-secret10@o1.ingest.sentry.io/42',
  QS_URL: 'https://h/db?password=qspw-secret11&user=u',
  APIURL: 'https://api.example.com/v1?api_key=qskey-secret12',
  JSONPW: '{"password":"jsonpw-secret13"}',
  HDR: 'Authorization: Bearer hdrtok-secret14',
  JWT: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.secret15',
  AWS_AK: 'AKIAIOSFODNN7SECRET6',
  NPMRC: '//registry.npmjs.org/:_authToken=npmtok-secret17',
  REDIS_USERONLY: 'redis://default-secret18@r:6379',
  LIBPQ: 'host=db user=u password=kvpw-secret19',
  SCHEMELESS: 'u:pw-secret20@db.internal:5432',
};

test('the second audit: credentials by value (userinfo, key=value, JSON, headers, JWT, AWS) are referenced, not written', async () => {
  const file = join(dir, 'v.json');
  const env = { ...BY_VALUE, GREETING: 'hello', MAIL: 'ops@example.com' };
  writeFileSync(
    file,
    JSON.stringify({ apps: [{ name: 'api', script: relative(dir, join(EXPORT_FIXTURES, 'app.cjs')), env }] }),
  );
  const input = inputOf(await loadFixture(file), { image: 'img:1' });
  for (const target of ['systemd', 'k8s', 'compose'] as ExportTarget[]) {
    const text = renderExport(target, input)
      .files.map((f) => f.content)
      .join('\n');
    assert.doesNotMatch(text, /secret\d|AKIAIOSFODNN7/, target);
    for (const name of Object.keys(BY_VALUE)) assert.match(text, new RegExp(`\\b${name}\\b`), target);
    assert.match(text, /hello/, target);
    assert.match(text, /ops@example\.com/, target);
  }
});

describe('a probe with a credential', () => {
  const probes: [string, Record<string, unknown>, string][] = [
    [
      'an http header (by value)',
      { readiness_probe: { http_get: { port: 3000, path: '/', headers: { 'X-A': 'Bearer probeheader' } } } },
      'readiness_probe.http_get.headers.X-A',
    ],
    [
      'an http header (by name)',
      { startup_probe: { http_get: { port: 3000, path: '/', headers: { Authorization: 'x' } } } },
      'startup_probe.http_get.headers.Authorization',
    ],
    [
      // The tenth audit: refused in a curl -H of an exec probe, written out as a header.
      'an http header (by its line)',
      {
        readiness_probe: { http_get: { port: 3000, path: '/', headers: { 'X-Session-Id': 'abc123def456' } } },
      },
      'readiness_probe.http_get.headers.X-Session-Id',
    ],
    [
      "mongosh's -p in an exec command (tenth audit)",
      { liveness_probe: { exec: { command: 'mongosh --quiet -u admin -p hunter2 --eval "db.ping()"' } } },
      'liveness_probe.exec.command',
    ],
    [
      'a token in the path',
      { readiness_probe: { http_get: { port: 3000, path: '/?token=probetok' } } },
      'readiness_probe.http_get.path',
    ],
    [
      'a URL password in an exec command',
      { liveness_probe: { exec: { command: 'curl -fsS http://admin:execpw@127.0.0.1:3000/' } } },
      'liveness_probe.exec.command',
    ],
    [
      'a header in an exec argv',
      {
        liveness_probe: { exec: { command: ['curl', '-H', 'Authorization: Bearer execargv1', 'http://x/'] } },
      },
      'liveness_probe.exec.command',
    ],
  ];
  for (const [what, fields, field] of probes)
    test(`k8s: ${what}: TEND_ERR_EXPORT_UNSAFE_VALUE naming the app, the probe and the field`, async () => {
      const file = join(dir, `p${field}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          apps: [{ name: 'api', script: relative(dir, join(EXPORT_FIXTURES, 'app.cjs')), ...fields }],
        }),
      );
      const input = inputOf(await loadFixture(file), { image: 'img:1' });
      assert.throws(
        () => renderExport('k8s', input),
        (err: unknown) => {
          assert.ok(err instanceof TendError);
          assert.equal(err.code, 'TEND_ERR_EXPORT_UNSAFE_VALUE');
          assert.deepEqual([err.data.app, err.data.field], ['api', field]);
          assert.match(err.message, /cannot read one from a Secret: nothing was written/);
          assert.match(err.message, /\$TOKEN/);
          return true;
        },
      );
      // systemd and compose write no probe text: tend-runtime runs the probe from the file.
      for (const target of ['systemd', 'compose'] as ExportTarget[]) {
        const text = renderExport(target, input)
          .files.map((f) => f.content)
          .join('\n');
        assert.doesNotMatch(text, /probeheader|probetok|execpw|execargv1/, target);
      }
    });

  test('k8s: an exec probe reading the credential from a variable is written as it is', async () => {
    const command = `sh -c 'curl -fsS -H "Authorization: Bearer $TOKEN" http://localhost:3000/'`;
    const file = join(dir, 'ok-probe.json');
    writeFileSync(
      file,
      JSON.stringify({
        apps: [
          {
            name: 'api',
            script: relative(dir, join(EXPORT_FIXTURES, 'app.cjs')),
            liveness_probe: { exec: { command } },
          },
        ],
      }),
    );
    const text = renderExport('k8s', inputOf(await loadFixture(file), { image: 'img:1' })).files[0]?.content;
    // The shell in the container expands $TOKEN (a probe's command has no $(VAR) expansion of Kubernetes).
    const pod = parseAllDocuments(text ?? '')[0]?.toJS().spec.template.spec;
    assert.deepEqual(pod.containers[0].livenessProbe.exec.command, ['/bin/sh', '-c', command]);
  });
});
