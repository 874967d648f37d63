// The package's types for ecosystem files, as users meet them: tsc with checkJs over .js files typed with
// `@type {import('tend').EcosystemFile}` (docs/config.md), `tend` resolving to src/index.ts. Each mistake
// in the fixtures carries `@ts-expect-error`, so a type that stops catching it fails this test as surely as
// a type that rejects a valid file. (TypeScript callers of app.start: fixtures/app-start-typing.ts, checked
// by `npm run typecheck`.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = join(import.meta.dirname, 'fixtures', 'types', 'tsconfig.json');

test('types: typed ecosystem files and app.start calls check; every marked mistake is caught', () => {
  const r = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc reported:\n${r.stdout}${r.stderr}`);
});
