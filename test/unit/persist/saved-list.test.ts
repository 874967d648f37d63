// Reading saved lists: damaged files are reasons, never an empty list; specs are checked against the
// reference and migrated (a missing field takes its default, a wrong kind rejects the app).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { referenceSpec } from '../../../src/persist/reference-spec.js';
import { FormatError, parseSavedList, readSavedList } from '../../../src/persist/saved-list.js';
import { checkSpec } from '../../../src/persist/spec-check.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-list-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const reference = referenceSpec(dir);
const spec = { ...reference, name: 'api', env: { A: '1' } };

test('checkSpec: fills fields an older tend did not write, rejects wrong kinds and missing essentials', () => {
  const { kill_timeout: _omitted, ...older } = spec;
  const checked = checkSpec(older, reference);
  assert.ok(typeof checked === 'object');
  assert.equal(checked.kill_timeout, reference.kill_timeout);
  assert.ok(Object.isFrozen(checked) && Object.isFrozen(checked.env));
  assert.match(
    String(checkSpec({ ...spec, max_restarts: 'many' }, reference)),
    /api: field max_restarts is a string, expected a number/,
  );
  assert.match(String(checkSpec({ ...spec, script: undefined }, reference)), /api: field script is missing/);
  assert.match(String(checkSpec({ ...spec, exec_mode: 'swarm' }, reference)), /exec_mode/);
});

test('parseSavedList: empty, truncated, an array, a newer format', () => {
  assert.throws(() => parseSavedList('', reference), /empty/);
  assert.throws(() => parseSavedList('{"format":2,"apps":[', reference), /not valid JSON/);
  assert.throws(() => parseSavedList('[]', reference), /PM2/);
  assert.throws(() => parseSavedList('{"format":3,"apps":[]}', reference), FormatError);
  assert.throws(() => parseSavedList('{"format":2,"apps":[{"units":[]}]}', reference), /apps\.0\.spec/);
  const list = parseSavedList(
    JSON.stringify({
      format: 1,
      apps: [{ spec, units: [{ id: 0, instance: 0, wanted: 'up', restarts: 2 }] }],
    }),
    reference,
  );
  assert.equal(list.apps[0]?.units[0]?.pid, undefined);
  assert.equal(list.clean, false);
});

test('readSavedList: missing, .bak fallback with a warning, both damaged', async () => {
  const file = join(dir, 'state.json');
  assert.deepEqual(await readSavedList(file, reference), { kind: 'missing' });
  writeFileSync(`${file}.bak`, JSON.stringify({ format: 2, apps: [{ spec, units: [] }] }));
  const fromBak = await readSavedList(file, reference);
  assert.equal(fromBak.kind, 'ok');
  writeFileSync(file, '{"form');
  const torn = await readSavedList(file, reference);
  assert.ok(torn.kind === 'ok' && torn.from === `${file}.bak`);
  assert.match(torn.warnings[0] ?? '', /state\.json: not valid JSON.*using the previous copy/);
  writeFileSync(`${file}.bak`, 'x');
  const bad = await readSavedList(file, reference);
  assert.equal(bad.kind, 'bad');
  assert.equal(bad.kind === 'bad' && bad.reasons.length, 2);
});
