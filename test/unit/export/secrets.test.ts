// No secret written out by `tend export`, by name or by value (src/protocol/secrets.ts, the rule `tend env`
// masks with): the audit's variables, each referenced (systemd's /etc/tend/<app>.env, a Secret's key,
// compose's shell) and warned about, never inlined in any target.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ExportTarget } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
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
    JSON.stringify({ apps: [{ name: 'api', script: join(EXPORT_FIXTURES, 'app.cjs'), env }] }),
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
