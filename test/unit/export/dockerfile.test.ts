// The Dockerfile of docs/kubernetes.md: its shape is checked always (a non-root user, exec-form CMD and
// HEALTHCHECK through tend-runtime, the ports the export uses, tend installed from its own tarball); hadolint
// lints it when it is installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseRuntimeArgs } from '../../../src/container/args.js';
import { HEALTH_PORT } from '../../../src/export/model.js';
import { runtimeArgs } from '../../../src/export/shutdown.js';
import { ROOT } from '../../helpers/daemon.js';
import { loadFixture } from './support.js';

const doc = readFileSync(join(ROOT, 'docs', 'kubernetes.md'), 'utf8');
const dockerfile = /```dockerfile\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
const instructions = dockerfile
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => l.split(' ')[0]);

test('the Dockerfile of docs/kubernetes.md: FROM first, a non-root USER before CMD, tend-runtime in exec form', () => {
  assert.ok(dockerfile.length > 0, 'a ```dockerfile block in docs/kubernetes.md');
  assert.equal(instructions[0], 'FROM');
  assert.ok(instructions.indexOf('USER') < instructions.indexOf('CMD'));
  assert.match(dockerfile, /^USER node$/m);
  assert.match(
    dockerfile,
    /^CMD \["tend-runtime", "ecosystem\.config\.js", "--only=api", "--no-deps", "--secrets-from-env"\]$/m,
  );
  assert.match(dockerfile, /^HEALTHCHECK .*CMD \["tend-runtime", "probe", "--ready"\]$/m);
  assert.match(dockerfile, new RegExp(`^EXPOSE .*\\b${HEALTH_PORT}\\b`, 'm'));
});

test("the CMD is what the export runs: tend-runtime reads it so, secrets from the container's environment", async () => {
  // Seventh audit: without --secrets-from-env, `docker run -e DATABASE_URL=…` ran the app with the file's
  // development value (the file's env wins over the environment otherwise).
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
  const parsed = parseRuntimeArgs(cmd.slice(1), {});
  assert.ok(parsed.help === false);
  const o = parsed.options;
  assert.deepEqual([o.only, o.noDeps, o.secretsFromEnv], [['api'], true, true]);
  // The exported pod's command starts with the same words.
  const api = (await loadFixture()).apps.find((a) => a.name === 'api');
  assert.ok(api);
  assert.deepEqual(runtimeArgs(api, null, {}).slice(0, 3), cmd.slice(2));
});

test('tend is installed from the tarball npm pack makes, never the registry\'s unrelated "tend"', () => {
  // `npm install --global tend` installs another package (tend 0.5.0, no tend-runtime bin).
  const installs = dockerfile
    .split('\n')
    .filter((l) => /\bnpm (install|i)\b/.test(l))
    .flatMap((l) => l.split('&&'))
    .filter((c) => /\bnpm (install|i)\b.*--global|-g\b/.test(c));
  assert.equal(installs.length, 1, dockerfile);
  const args = (installs[0] ?? '').trim().split(/\s+/).slice(2);
  assert.deepEqual(
    args.filter((a) => !a.startsWith('-')),
    ['/tmp/tend-*.tgz'],
  );
  assert.ok(!args.some((a) => /^tend(@|$)/.test(a)), installs[0]);
  assert.match(dockerfile, /^COPY vendor\/tend-\*\.tgz \/tmp\/$/m);
  assert.match(doc, /`npm pack`/);
});

const hadolint = spawnSync('hadolint', ['--version'], { encoding: 'utf8' });
test('hadolint finds nothing to say', {
  skip: hadolint.error ? 'hadolint is not installed (no Dockerfile linter on this machine)' : false,
}, () => {
  const r = spawnSync('hadolint', ['-'], { input: dockerfile, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('a .dockerignore beside the Dockerfile keeps env files, node_modules and .git out of the image', () => {
  const ignore = /```gitignore\n(# \.dockerignore[\s\S]*?)```/.exec(doc)?.[1] ?? '';
  const lines = ignore.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  for (const entry of ['.git', 'node_modules', '.env', '*.env']) assert.ok(lines.includes(entry), entry);
  // The file the Dockerfile's CMD runs is not excluded: tend-runtime reads it in the image.
  assert.ok(!lines.some((l) => /ecosystem/.test(l)), ignore);
  assert.match(doc, /every value written in it ends up in the image/);
});
