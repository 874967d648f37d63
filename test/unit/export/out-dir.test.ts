// `--out` that is a symbolic link to nothing: TEND_ERR_EXPORT_OUT saying so (the audit: "EEXIST: file
// already exists, mkdir", which names neither the link nor the fix).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepareOutDir, shownPath } from '../../../src/export/out-dir.js';
import { appsFixtures } from './support.js';

const { dir } = appsFixtures('tend-export-out-');

test('a dangling symbolic link as --out, or on the way to it: named as a link, with the fix', () => {
  symlinkSync(join(dir, 'nowhere'), join(dir, 'link'));
  for (const out of [join(dir, 'link'), join(dir, 'link', 'deeper')])
    assert.throws(() => prepareOutDir(out), {
      code: 'TEND_ERR_EXPORT_OUT',
      message: `cannot write the export into ${out}: ${join(dir, 'link')} is a symbolic link to ${join(dir, 'nowhere')}, which does not exist (create the directory it points to, remove the link, or choose another --out)`,
    });
  assert.equal(existsSync(join(dir, 'nowhere')), false);
  // A link to a directory is followed, as before.
  mkdirSync(join(dir, 'real'));
  symlinkSync(join(dir, 'real'), join(dir, 'good'));
  assert.equal(prepareOutDir(join(dir, 'good', 'units')), join(dir, 'good', 'units'));
  assert.equal(existsSync(join(dir, 'real', 'units')), true);
});

test('a path with a control character is JSON-quoted in the message, which stays one line (eighth audit)', () => {
  writeFileSync(join(dir, 'afile'), '');
  const out = join(dir, 'afile', 'x\ny');
  assert.throws(() => prepareOutDir(out), {
    code: 'TEND_ERR_EXPORT_OUT',
    message: `cannot write the export into ${JSON.stringify(out)}: ${join(dir, 'afile')} is not a directory (pass --out a directory you can write, or leave --out out to print the files)`,
  });
  assert.equal(shownPath('/srv/units'), '/srv/units');
  assert.equal(shownPath('/srv/a\tb'), '/srv/a\tb');
  assert.equal(shownPath('/srv/a\rb'), '"/srv/a\\rb"');
});
