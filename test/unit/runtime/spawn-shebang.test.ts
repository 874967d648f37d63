// A script whose #! interpreter is missing: execve says ENOENT, and the spawner (the daemon's and
// tend-runtime's) says the interpreter is missing, not the file (eighth audit: "cannot start
// /…/badshebang: ENOENT" of a file that was there). Real spawns of real files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { createSpawner } from '../../../src/runtime/spawner.js';
import type { ChildHooks } from '../../../src/supervisor/ports.js';

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tend-shebang-')));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function script(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text, { mode: 0o755 });
  return file;
}

/** What the spawn of `command` reported: its spawn error, or its exit. */
function spawnOf(command: string, env: Record<string, string> = { PATH: process.env.PATH ?? '' }) {
  return new Promise<{ error: NodeJS.ErrnoException } | { exit: number | null }>((resolve) => {
    const hooks: ChildHooks = {
      onSpawnError: (error) => resolve({ error }),
      onExit: (code) => resolve({ exit: code }),
      onMessage() {},
    };
    createSpawner({ fdReserve: null }).spawn({ command, args: [], cwd: dir, env, ipc: false }, hooks);
  });
}

/** What the supervisor prints of it (unit-hooks.ts): its code, else its message. */
const told = (e: NodeJS.ErrnoException) => e.code ?? e.message;

describe('spawn: ENOENT of a file that exists', () => {
  test('its #! interpreter is missing: said, with the interpreter', async () => {
    const file = script('badshebang', '#!/nonexistent/interp\n');
    const r = await spawnOf(file);
    assert.ok('error' in r, JSON.stringify(r));
    assert.equal(
      told(r.error),
      'its interpreter /nonexistent/interp (from its #! line) was not found (ENOENT)',
    );
  });

  test('found on PATH (a bare command): the same', async () => {
    script('badtool', '#! /nonexistent/python3 -u\nprint(1)\n');
    const r = await spawnOf('badtool', { PATH: dir });
    assert.ok('error' in r);
    assert.equal(
      told(r.error),
      'its interpreter /nonexistent/python3 (from its #! line) was not found (ENOENT)',
    );
  });

  test('Windows line endings: the carriage return is named', async () => {
    const file = script('crlf.sh', '#!/bin/sh\r\nexit 0\r\n');
    const r = await spawnOf(file);
    assert.ok('error' in r);
    assert.match(
      told(r.error),
      /^its #! line ends in a carriage return \(Windows line endings\), so its interpreter is "\/bin\/sh\\r", which was not found \(ENOENT\)$/,
    );
  });

  test('a file that is not there, and a script whose interpreter exists: as before', async () => {
    const missing = await spawnOf(path.join(dir, 'nothing-here'));
    assert.ok('error' in missing);
    assert.equal(told(missing.error), 'ENOENT');
    const fine = await spawnOf(script('ok.sh', '#!/bin/sh\nexit 3\n'));
    assert.deepEqual(fine, { exit: 3 });
  });
});

describe('spawn: EACCES of an executable script', () => {
  test('its #! interpreter exists but is not executable: said, with the interpreter (verification of the eighth audit)', async () => {
    const interp = path.join(dir, 'not-exec.js');
    fs.writeFileSync(interp, '', { mode: 0o644 });
    const file = script('nestedbang', `#!${interp}\n`);
    const r = await spawnOf(file);
    assert.ok('error' in r, JSON.stringify(r));
    assert.equal(
      told(r.error),
      `its interpreter ${interp} (from its #! line) is not an executable file (EACCES)`,
    );
  });

  test('a script that is not executable itself: EACCES as the OS says', async () => {
    const file = path.join(dir, 'plain-no-x');
    fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    const r = await spawnOf(file);
    assert.ok('error' in r, JSON.stringify(r));
    assert.equal(told(r.error), 'EACCES');
  });
});
