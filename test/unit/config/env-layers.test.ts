// The environment's layers, as a table (docs/config.md, "Environment"): which layer wins for each kind
// of variable, at a first start and with --update-env; env_file read in normalizeApps with its errors.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { composeEnv } from '../../../src/config/env-layers.js';
import { normalizeApps } from '../../../src/config/normalize.js';
import { configIssues, inputFor, makeTmp, type TmpDir } from './helpers.js';

describe('composeEnv: precedence', () => {
  const base = { ONLY_BASE: 'base', BASE_FILE: 'base', BASE_APP: 'base', SHELL_APP: 'base' };
  const files = { BASE_FILE: 'file', FILE_APP: 'file', ONLY_FILE: 'file' };
  const app = { BASE_APP: 'app', FILE_APP: 'app', SHELL_APP: 'app', ONLY_APP: 'app' };
  const shell = { SHELL_APP: 'shell', ONLY_SHELL: 'shell' };

  // variable → [value at a first start, value after --update-env with `shell`]
  const table: [string, string | undefined, string | undefined][] = [
    ['ONLY_BASE', 'base', undefined], // removed from the shell: gone, no stale cache
    ['BASE_FILE', 'file', 'file'],
    ['BASE_APP', 'app', 'app'],
    ['FILE_APP', 'app', 'app'],
    ['ONLY_FILE', 'file', 'file'],
    ['ONLY_APP', 'app', 'app'],
    ['SHELL_APP', 'app', 'shell'], // --update-env: the shell is the top layer
    ['ONLY_SHELL', undefined, 'shell'],
  ];
  const first = composeEnv({ base, files, app, update: null });
  const updated = composeEnv({ base: shell, files, app, update: shell });
  for (const [name, atStart, afterUpdate] of table) {
    it(`${name}: ${atStart ?? '(unset)'} at start, ${afterUpdate ?? '(unset)'} after --update-env`, () => {
      assert.equal(first[name], atStart);
      assert.equal(updated[name], afterUpdate);
    });
  }
});

describe('normalizeApps: env_file', () => {
  let tmp: TmpDir;
  before(() => {
    tmp = makeTmp();
    tmp.write('app.js', '');
    tmp.write('a.env', 'A=a\nSHARED=a\nOVER=file\n');
    tmp.write('sub/b.env', 'SHARED=b\n');
    tmp.write('bad.env', 'OK=1\nthis is wrong\nQ="open\n');
  });
  after(() => tmp.remove());
  const spec = (app: Record<string, unknown>) => normalizeApps(inputFor(tmp.dir, [app]))[0]!;

  it('reads the files relative to cwd, in order, under env', () => {
    const s = spec({ script: 'app.js', env_file: ['a.env', 'sub/b.env'], env: { OVER: 'env' } });
    assert.equal(s.env.A, 'a');
    assert.equal(s.env.SHARED, 'b');
    assert.equal(s.env.OVER, 'env');
    assert.deepEqual(s.env_file, [`${tmp.dir}/a.env`, `${tmp.dir}/sub/b.env`]);
    assert.deepEqual(s.app_env, { OVER: 'env' });
  });

  it('takes a single path', () => {
    assert.equal(spec({ script: 'app.js', env_file: 'a.env' }).env.A, 'a');
  });

  it('an unreadable file names the app, the field and the path', () => {
    const lines = configIssues(() =>
      normalizeApps(inputFor(tmp.dir, [{ script: 'app.js', env_file: ['nope.env', 'sub'] }])),
    );
    assert.deepEqual(lines, [
      `apps[0] (app).env_file: cannot read "${tmp.dir}/nope.env": no such file`,
      `apps[0] (app).env_file: cannot read "${tmp.dir}/sub": it is a directory`,
    ]);
  });

  it('a pipe is refused without being opened (it would block the daemon)', () => {
    const fifo = `${tmp.dir}/fifo.env`;
    execFileSync('mkfifo', [fifo]);
    const lines = configIssues(() =>
      normalizeApps(inputFor(tmp.dir, [{ script: 'app.js', env_file: 'fifo.env' }])),
    );
    assert.deepEqual(lines, [
      `apps[0] (app).env_file: cannot read "${fifo}": not a regular file (pipes are not read)`,
    ]);
    const own = configIssues(() =>
      normalizeApps(inputFor(tmp.dir, [{ script: 'app.js', env_file: ['/dev/fd/0', '/proc/self/fd/3'] }])),
    );
    assert.equal(own.length, 2);
    for (const line of own) assert.match(line, /not a regular file \(pipes are not read\)$/);
  });

  it('a malformed file names each bad line', () => {
    const lines = configIssues(() =>
      normalizeApps(inputFor(tmp.dir, [{ script: 'app.js', env_file: 'bad.env' }])),
    );
    assert.deepEqual(lines, [
      `apps[0] (app).env_file: ${tmp.dir}/bad.env:2: expected KEY=value, got "this is wrong"`,
      `apps[0] (app).env_file: ${tmp.dir}/bad.env:3: Q: the " quote opened here is never closed`,
    ]);
  });

  it('a wrong type is a field error', () => {
    const lines = configIssues(() => normalizeApps(inputFor(tmp.dir, [{ script: 'app.js', env_file: 42 }])));
    assert.deepEqual(lines, ['apps[0] (app).env_file: expected a file path or a list of file paths, got 42']);
  });
});
