// The daemon keeps no zod schema between validations: the protocol's method table builds none when it is
// imported (protocol/define.ts), and after priming (protocol/zod.ts primeSchemaKinds, run by the daemon at
// start-up) the schemas of two rounds of request, ecosystem and saved-list validations are all garbage.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

test('schemas: none built by importing the method table, none reachable after validations', () => {
  const fixture = fileURLToPath(new URL('../../fixtures/schema-alive.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fixture], {
    cwd: root,
    encoding: 'utf8',
  });
  const r = JSON.parse(out) as { onImport: number; built: number; alive: number; error: string | null };
  assert.equal(r.onImport, 0, 'schemas built when the modules were imported');
  assert.ok(r.built > 300, `only ${r.built} schemas built: is the census hook still called?`);
  assert.match(r.error ?? '', /max_memory_restart/, 'the invalid app was reported');
  assert.equal(r.alive, 0, `${r.alive} of ${r.built} schemas still reachable`);
});
