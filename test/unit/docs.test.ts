// The docs cannot rot: every error code, method, event and jlist field is documented.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { errorCatalogue } from '../../src/protocol/errors.js';
import { events } from '../../src/protocol/events.js';
import { methods } from '../../src/protocol/methods/index.js';
import { ProcessInfo } from '../../src/protocol/process-info.js';
import { VERSION } from '../../src/version.js';

const root = join(import.meta.dirname, '..', '..');
const doc = (name: string) => readFileSync(join(root, 'docs', name), 'utf8');

test('every error code is in docs/errors.md', () => {
  const text = doc('errors.md');
  for (const code of Object.keys(errorCatalogue)) assert.ok(text.includes(`\`${code}\``), code);
});

test('every method and event is in docs/protocol.md', () => {
  const text = doc('protocol.md');
  for (const name of Object.keys(methods)) assert.ok(text.includes(`\`${name}\``), name);
  for (const e of Object.keys(events)) assert.ok(text.includes(`\`${e}\``), e);
});

test('every jlist field is in the contract of docs/cli.md', () => {
  const text = doc('cli.md');
  for (const field of Object.keys(ProcessInfo().shape)) assert.ok(text.includes(`\`${field}\``), field);
});

test('VERSION matches package.json', () => {
  assert.equal(VERSION, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
});
