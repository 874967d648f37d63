// Config and persistence schemas are built per validation and dropped (config/schema.ts): none is built when
// the daemon's modules load, none is kept for the next validation, and the registry's field names (plain data:
// reading them builds nothing) are the schema's keys.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FIELDS } from '../../../src/config/registry/index.js';
import { ACTIVE_FIELDS, appSchema } from '../../../src/config/schema.js';

interface Census {
  modules: number;
  onImport: string[];
  normalize: [number, number];
  savedList: [number, number];
}

// A child process: this file's own imports have loaded zod and config modules already.
function census(): Census {
  const fixture = fileURLToPath(new URL('../../fixtures/schema-census.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', fixture], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out) as Census;
}

test('schemas: loading the config, persist, daemon, trigger and log modules builds none; each validation builds its own', () => {
  const c = census();
  assert.ok(c.modules > 50, `only ${c.modules} modules imported`);
  assert.deepEqual(c.onImport, [], 'schemas built at module load (line of each)');
  // Two identical validations build the same schemas: the second one found nothing kept from the first.
  assert.ok(c.normalize[0] > 0, 'normalizeApps built no schema: is the census hook still called?');
  assert.equal(c.normalize[1], c.normalize[0]);
  assert.ok(c.savedList[0] > 0);
  assert.equal(c.savedList[1], c.savedList[0]);
});

test('schemas: the app schema has one entry per registry field, and ACTIVE_FIELDS names them', () => {
  assert.deepEqual(
    Object.keys(appSchema().shape),
    FIELDS.map((f) => f.name),
  );
  assert.deepEqual(
    [...ACTIVE_FIELDS],
    FIELDS.map((f) => f.name),
  );
});
