// Script and interpreter resolution, through normalizeApps (the rules users see) with real files.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { TendError } from '../../../src/protocol/errors.js';
import { inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  for (const file of ['app.js', 'app.mjs', 'app.cjs', 'tool.py', 'run.sh', 'task.rb', 'job.pl', 'page.php']) {
    tmp.write(file, '');
  }
  tmp.write('server', '#!/bin/sh\n', 0o755);
  tmp.write('plain', 'not executable\n', 0o644);
  tmp.write('bin/mytool', '#!/bin/sh\n', 0o755);
  tmp.write('bin/notexec', '', 0o644);
  tmp.write('other-bin/mytool', '#!/bin/sh\n', 0o755);
});
after(() => tmp.remove());

const one = (app: Record<string, unknown>, over = {}) => normalizeApps(inputFor(tmp.dir, [app], over))[0]!;

const throwsCode = (fn: () => unknown, code: string, data: Record<string, unknown>) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TendError);
    assert.equal(e.code, code);
    assert.deepEqual(e.data, data);
    return true;
  });

describe('interpreter by extension', () => {
  for (const [file, interpreter] of [
    ['app.js', process.execPath],
    ['app.mjs', process.execPath],
    ['app.cjs', process.execPath],
    ['tool.py', 'python3'],
    ['run.sh', 'bash'],
    ['task.rb', 'ruby'],
    ['job.pl', 'perl'],
    ['page.php', 'php'],
  ]) {
    it(`runs ${file} with ${path.basename(interpreter!)}`, () => {
      const spec = one({ script: file });
      assert.equal(spec.script, path.join(tmp.dir, file!));
      assert.equal(spec.interpreter, interpreter);
      assert.equal(spec.is_node, interpreter === process.execPath);
    });
  }

  it('executes a file without a known extension directly', () => {
    const spec = one({ script: './server' });
    assert.equal(spec.interpreter, null);
    assert.equal(spec.is_node, false);
  });

  it('requires a directly executed script to be executable', () => {
    throwsCode(() => one({ script: 'plain' }), 'TEND_ERR_SCRIPT_NOT_EXECUTABLE', {
      script: path.join(tmp.dir, 'plain'),
    });
  });

  it('reads interpreter "none" as "execute directly"', () => {
    assert.equal(one({ script: 'server', interpreter: 'none' }).interpreter, null);
    throwsCode(() => one({ script: 'run.sh', interpreter: 'none' }), 'TEND_ERR_SCRIPT_NOT_EXECUTABLE', {
      script: path.join(tmp.dir, 'run.sh'),
    });
  });
});

describe('interpreter given', () => {
  it('maps "node" to execPath', () => {
    const spec = one({ script: 'plain', interpreter: 'node' }, { execPath: '/opt/node20/bin/node' });
    assert.equal(spec.interpreter, '/opt/node20/bin/node');
    assert.equal(spec.is_node, true);
  });

  it('keeps other names and absolute paths, and detects Node by name', () => {
    assert.deepEqual(pick(one({ script: 'tool.py', interpreter: 'python3.12' })), ['python3.12', false]);
    assert.deepEqual(pick(one({ script: 'app.js', interpreter: 'bun' })), ['bun', false]);
    assert.deepEqual(pick(one({ script: 'app.js', interpreter: '/usr/local/bin/node18' })), [
      '/usr/local/bin/node18',
      true,
    ]);
    assert.deepEqual(pick(one({ script: 'app.js', interpreter: 'nodejs' })), ['nodejs', true]);
    assert.deepEqual(pick(one({ script: 'app.js', interpreter: process.execPath })), [
      process.execPath,
      true,
    ]);
  });

  it('makes a relative interpreter path absolute against the app cwd', () => {
    assert.equal(
      one({ script: 'app.js', interpreter: './bin/mytool' }).interpreter,
      path.join(tmp.dir, 'bin', 'mytool'),
    );
  });

  it('accepts the PM2 alias exec_interpreter', () => {
    assert.equal(one({ script: 'plain', exec_interpreter: 'bash' }).interpreter, 'bash');
  });
});

describe('PATH lookup', () => {
  it('finds a bare command on the PATH of the final env and executes it directly', () => {
    const spec = one({ script: 'mytool', args: 'run start' });
    assert.equal(spec.script, path.join(tmp.dir, 'bin', 'mytool'));
    assert.equal(spec.interpreter, null);
    assert.deepEqual(spec.args, ['run', 'start']);
    assert.equal(spec.name, 'mytool');
  });

  it('uses the PATH from the app env, including env_<name>', () => {
    const other = path.join(tmp.dir, 'other-bin');
    assert.equal(one({ script: 'mytool', env: { PATH: other } }).script, path.join(other, 'mytool'));
    const fromSection = one(
      { script: 'mytool', env_dev: { PATH: `/nonexistent:${other}` } },
      { envName: 'dev' },
    );
    assert.equal(fromSection.script, path.join(other, 'mytool'));
  });

  it('keeps a given interpreter for a PATH command', () => {
    assert.equal(one({ script: 'mytool', interpreter: 'bash' }).interpreter, 'bash');
  });

  it('skips files on PATH that are not executable', () => {
    throwsCode(() => one({ script: 'notexec' }), 'TEND_ERR_SCRIPT_NOT_FOUND', {
      script: 'notexec',
      cwd: tmp.dir,
    });
  });

  it('does not search PATH for a script with a slash', () => {
    throwsCode(() => one({ script: './mytool' }), 'TEND_ERR_SCRIPT_NOT_FOUND', {
      script: './mytool',
      cwd: tmp.dir,
    });
  });

  it('does not take a directory for a script', () => {
    throwsCode(() => one({ script: 'bin' }), 'TEND_ERR_SCRIPT_NOT_FOUND', { script: 'bin', cwd: tmp.dir });
  });

  it('masks a credential in the script word it names (tenth audit: in a pod log)', () => {
    throwsCode(
      () => one({ script: 'DATABASE_URL=postgres://app:S3cretPw@db/prod node server.js' }),
      'TEND_ERR_SCRIPT_NOT_FOUND',
      { script: 'DATABASE_URL=postgres://app:***@db/prod node server.js', cwd: tmp.dir },
    );
    throwsCode(() => one({ script: 'API_TOKEN=abc123 node server.js' }), 'TEND_ERR_SCRIPT_NOT_FOUND', {
      script: 'API_TOKEN=******** node server.js',
      cwd: tmp.dir,
    });
    // By the variable's name too, as `tend env` masks (its verification: DB_PASS=hunter2 was shown).
    throwsCode(() => one({ script: 'DB_PASS=hunter2 ./x' }), 'TEND_ERR_SCRIPT_NOT_FOUND', {
      script: 'DB_PASS=******** ./x',
      cwd: tmp.dir,
    });
  });

  it('fails with the script and cwd when nothing matches', () => {
    throwsCode(() => one({ script: 'nosuchtool' }), 'TEND_ERR_SCRIPT_NOT_FOUND', {
      script: 'nosuchtool',
      cwd: tmp.dir,
    });
  });
});

function pick(spec: { interpreter: string | null; is_node: boolean }): [string | null, boolean] {
  return [spec.interpreter, spec.is_node];
}
