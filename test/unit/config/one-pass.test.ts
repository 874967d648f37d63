// An ecosystem file is validated completely in one pass: every problem of every app at once, the checks of
// the file system (cwd, watch paths, env files, the script) and of the machine (CPUs) included, each line
// naming the app. Before, a file's field errors hid its cwd, watch, env file, instances and cluster
// problems until the next run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { isTendError } from '../../../src/protocol/errors.js';
import { configIssues, inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
  tmp.write('job.py', '');
});
after(() => tmp.remove());

describe('one pass', () => {
  it('reports six bad fields of two apps at once, each naming its app', () => {
    const apps = [
      { name: 'api', script: 'app.js', max_restarts: -1, cron_restart: '61 * * * *', watch: ['nope'] },
      {
        name: 'worker',
        script: 'job.py',
        kill_timeout: '10 seconds',
        env_file: 'missing.env',
        instances: -99,
      },
    ];
    const lines = configIssues(() => normalizeApps(inputFor(tmp.dir, apps, { cpus: 4 })));
    assert.deepEqual(
      lines.map((l) => l.slice(0, l.indexOf(':'))),
      [
        'apps[0] (api).max_restarts',
        'apps[0] (api).cron_restart',
        'apps[1] (worker).kill_timeout',
        'apps[0] (api).watch',
        'apps[1] (worker).env_file',
        'apps[1] (worker).instances',
      ],
      lines.join('\n'),
    );
  });

  it('checks cluster mode and the script with the fields, and lists a missing script among the problems', () => {
    const lines = configIssues(() =>
      normalizeApps(
        inputFor(tmp.dir, [
          { name: 'py', script: 'job.py', exec_mode: 'cluster', max_restarts: 'x' },
          { name: 'gone', script: 'missing.js' },
        ]),
      ),
    );
    assert.deepEqual(
      lines.map((l) => l.slice(0, l.indexOf(':'))),
      ['apps[0] (py).max_restarts', 'apps[0] (py).exec_mode', 'apps[1] (gone).script'],
    );
    assert.match(lines[2] ?? '', /script not found: missing\.js .*\(TEND_ERR_SCRIPT_NOT_FOUND\)$/);
  });

  it('alone, a missing script keeps its own code', () => {
    assert.throws(
      () => normalizeApps(inputFor(tmp.dir, [{ name: 'gone', script: 'missing.js' }])),
      (err) => isTendError(err) && err.code === 'TEND_ERR_SCRIPT_NOT_FOUND',
    );
  });

  it('does not check against a cwd that is itself wrong', () => {
    const lines = configIssues(() =>
      normalizeApps(inputFor(tmp.dir, [{ name: 'a', script: 'app.js', cwd: 3, watch: ['src'] }])),
    );
    assert.deepEqual(lines, ['apps[0] (a).cwd: expected a directory path, got 3']);
  });
});
