// The state writer coalesces: one write at a time and at most one behind it, whatever the rate of changes;
// each write takes the snapshot as it starts, so the file ends with the last change; final() comes after the
// write in progress and nothing overwrites it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { StateWriter } from '../../../src/daemon/state-file.js';
import type { StateFile } from '../../../src/persist/saved-apps.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-state-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A state file whose content says which change it holds, padded so that each write takes a while. */
function writer(file: string) {
  let change = 0;
  let snapshots = 0;
  const errors: unknown[] = [];
  const pad = 'x'.repeat(8 * 1024 * 1024);
  const w = new StateWriter(
    file,
    () => {
      snapshots++;
      return { format: 2, change, pad } as unknown as StateFile;
    },
    (err) => errors.push(err),
  );
  return {
    w,
    errors,
    change: () => {
      change++;
      w.touch();
    },
    get snapshots() {
      return snapshots;
    },
  };
}

const changeIn = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { change: number }).change;

test('a steady churn of changes queues at most one write behind the one in progress', async () => {
  const file = join(dir, 'churn.json');
  const s = writer(file);
  // A change in each of 200 turns of the event loop (each its own burst), while 8 MiB writes take turns.
  for (let i = 0; i < 200; i++) {
    s.change();
    await turn();
  }
  const started = s.snapshots;
  await s.w.flush();
  // Writes queued one per burst would all run now, each rewriting the file (about 200 of them).
  assert.ok(s.snapshots - started <= 2, `${s.snapshots - started} writes after the churn had stopped`);
  assert.ok(started < 200, `${started} writes for 200 changes`);
  assert.equal(changeIn(file), 200, 'the file holds the last change');
  assert.deepEqual(s.errors, []);
});

test('final() writes its content after the write in progress; later changes never overwrite it', async () => {
  const file = join(dir, 'final.json');
  const s = writer(file);
  s.change();
  await turn();
  const mark = { format: 2, clean: true } as unknown as StateFile;
  const done = s.w.final(mark);
  s.change();
  await done;
  await s.w.flush();
  for (let i = 0; i < 3; i++) await turn();
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { format: 2, clean: true });
  assert.deepEqual(s.errors, []);
});
