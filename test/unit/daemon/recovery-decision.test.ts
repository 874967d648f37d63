// Which previous lists a starting daemon restores: a crash or a hand-over in this boot; never after a clean
// kill or in another boot; format 1 (no boot id) when written after this boot with something wanted up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reasonToRestore } from '../../../src/daemon/recovery.js';
import type { SavedList } from '../../../src/persist/saved-list.js';
import { readBootId, readBootTime } from '../../../src/runtime/boot-id.js';

const boot = readBootId();
const list = (over: Partial<SavedList>): SavedList => ({
  format: 2,
  written_at: Date.now(),
  boot_id: boot,
  daemon_pid: 1,
  clean: false,
  restore: false,
  next_id: null,
  apps: [],
  rejected: [],
  ...over,
});
const wantedUp = [
  {
    spec: {} as SavedList['apps'][number]['spec'],
    units: [{ id: 0, instance: 0, wanted: 'up' as const, restarts: 0 }],
  },
];

test('format 2: crash and hand-over in this boot are restored; clean kills and other boots are not', () => {
  assert.ok(boot, 'this machine has a boot id');
  assert.equal(reasonToRestore(list({}), boot), 'crash');
  assert.equal(reasonToRestore(list({ clean: true, restore: true }), boot), 'handover');
  assert.equal(reasonToRestore(list({ clean: true }), boot), null);
  assert.equal(reasonToRestore(list({ boot_id: 'another' }), boot), null);
  assert.equal(reasonToRestore(list({ boot_id: 'another', restore: true }), boot), null);
  assert.equal(reasonToRestore(list({}), null), null, 'an unknown boot is never taken for this one');
});

test('format 1: restored only if written after this boot with an app wanted up', () => {
  const booted = readBootTime() ?? 0;
  assert.equal(reasonToRestore(list({ format: 1, boot_id: null, apps: wantedUp }), boot), 'crash');
  assert.equal(reasonToRestore(list({ format: 1, boot_id: null, apps: [] }), boot), null);
  assert.equal(
    reasonToRestore(list({ format: 1, boot_id: null, apps: wantedUp, written_at: booted - 1 }), boot),
    null,
  );
});
