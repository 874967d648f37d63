import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { findSpawnTagged, hasEntry, hasKey, SPAWN_TAG } from '../../../src/runtime/env-tag.js';

test('hasEntry matches a whole KEY=value entry, first, middle or last, never a prefix of a longer value', () => {
  const env = 'A=1\0TEND_SPAWN_ID=9.x.1\0B=2\0';
  assert.ok(hasEntry(env, 'A=1'));
  assert.ok(hasEntry(env, 'TEND_SPAWN_ID=9.x.1'));
  assert.ok(hasEntry(env, 'B=2'));
  assert.ok(hasEntry('TEND_SPAWN_ID=9.x.1', 'TEND_SPAWN_ID=9.x.1'), 'an environ without a final NUL');
  assert.ok(!hasEntry(env, 'TEND_SPAWN_ID=9.x.'), 'a prefix of the value');
  assert.ok(!hasEntry('TEND_SPAWN_ID=9.x.12\0', 'TEND_SPAWN_ID=9.x.1'), 'spawn 1 is not spawn 12');
  assert.ok(!hasEntry('XA=1\0', 'A=1'), 'a suffix of another key');
});

test('hasKey finds a key with any value, not a key that merely ends with it', () => {
  assert.ok(hasKey('TEND_ID=3\0', 'TEND_ID'));
  assert.ok(hasKey('A=1\0TEND_ID=\0', 'TEND_ID'));
  assert.ok(!hasKey('XTEND_ID=3\0', 'TEND_ID'));
});

test('findSpawnTagged finds a live process by its tag wherever the entry sits, past a 64 KiB read too', async () => {
  const big = 'y'.repeat(100 * 1024);
  const envs: Record<string, string>[] = [
    { [SPAWN_TAG]: 'first.1' },
    { A: '1', [SPAWN_TAG]: 'middle.1', B: '2' },
    { BIG: big, [SPAWN_TAG]: 'after-big.1' },
    { BIG: `${big}z`, [SPAWN_TAG]: 'after-big.2', C: '3' },
  ];
  const children = envs.map((env) =>
    spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30); console.log("up")'], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  try {
    await Promise.all(children.map((c) => once(c.stdout!, 'data')));
    for (const [i, env] of envs.entries()) {
      const tag = env[SPAWN_TAG] as string;
      assert.deepEqual([...findSpawnTagged(tag).keys()], [children[i]!.pid], tag);
    }
    assert.equal(findSpawnTagged('middle.').size, 0, 'a prefix of a tag matches nothing');
    assert.equal(findSpawnTagged('first.12').size, 0);
  } finally {
    for (const c of children) c.kill('SIGKILL');
  }
});
