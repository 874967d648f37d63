// Exact wording of validation problems: path as written, expectation, value received.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { TendError } from '../../../src/protocol/errors.js';
import { configIssues, inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
});
after(() => tmp.remove());

const issuesOf = (app: Record<string, unknown>) =>
  configIssues(() => normalizeApps(inputFor(tmp.dir, [{ script: 'app.js', ...app }])));

const DURATION = 'expected a duration: milliseconds, or a string such as "500ms", "10s" or "1m"';
const INSTANCES =
  'expected a number of instances: a positive integer, "max", 0 (one per CPU) or -n (CPUs minus n)';

describe('config messages', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'max_restarts',
      { max_restarts: -1 },
      'apps[0] (app).max_restarts: expected a non-negative integer, got -1',
    ],
    [
      'max_restarts',
      { max_restarts: 1.5 },
      'apps[0] (app).max_restarts: expected a non-negative integer, got 1.5',
    ],
    [
      'max_restarts',
      { max_restarts: 'lots' },
      'apps[0] (app).max_restarts: expected a non-negative integer, got "lots"',
    ],
    ['min_uptime', { min_uptime: '10 parsecs' }, `apps[0] (app).min_uptime: ${DURATION}, got "10 parsecs"`],
    ['kill_timeout', { kill_timeout: -5 }, `apps[0] (app).kill_timeout: ${DURATION}, got -5`],
    ['listen_timeout', { listen_timeout: true }, `apps[0] (app).listen_timeout: ${DURATION}, got true`],
    ['instances', { instances: 'many' }, `apps[0] (app).instances: ${INSTANCES}, got "many"`],
    ['instances', { instances: 2.5 }, `apps[0] (app).instances: ${INSTANCES}, got 2.5`],
    [
      'exec_mode',
      { exec_mode: 'thread' },
      'apps[0] (app).exec_mode: expected "fork" or "cluster", got "thread"',
    ],
    [
      'kill_signal',
      { kill_signal: 'SIGFOO' },
      'apps[0] (app).kill_signal: expected a signal name such as "SIGINT" or "SIGTERM", got "SIGFOO"',
    ],
    [
      'kill_signal',
      { kill_signal: 15 },
      'apps[0] (app).kill_signal: expected a signal name such as "SIGINT" or "SIGTERM", got 15',
    ],
    [
      'stop_exit_codes',
      { stop_exit_codes: [0, 300] },
      'apps[0] (app).stop_exit_codes[1]: expected an exit code (an integer from 0 to 255), got 300',
    ],
    [
      'stop_exit_codes',
      { stop_exit_codes: 'zero' },
      'apps[0] (app).stop_exit_codes: expected an exit code (an integer from 0 to 255), got "zero"',
    ],
    [
      'stop_exit_codes',
      { stop_exit_codes: [0, 'x'] },
      'apps[0] (app).stop_exit_codes[1]: expected an exit code (an integer from 0 to 255), got "x"',
    ],
    ['autorestart', { autorestart: 'yes' }, 'apps[0] (app).autorestart: expected true or false, got "yes"'],
    ['wait_ready', { wait_ready: 1 }, 'apps[0] (app).wait_ready: expected true or false, got 1'],
    [
      'args',
      { args: { port: 1 } },
      'apps[0] (app).args: expected a string or a list of strings, got {"port":1}',
    ],
    [
      'args',
      { args: ['a', { b: 1 }] },
      'apps[0] (app).args[1]: expected a string (one argument), got {"b":1}',
    ],
    [
      'args',
      { args: `--name 'my app` },
      `apps[0] (app).args: expected matching quotes, got "--name 'my app"`,
    ],
    [
      'node_args (alias, reported as written)',
      { node_args: 5 },
      'apps[0] (app).node_args: expected a string or a list of strings, got 5',
    ],
    ['output (alias)', { output: 7 }, 'apps[0] (app).output: expected a file path, got 7'],
    [
      'env',
      { env: 'NODE_ENV=production' },
      'apps[0] (app).env: expected an object of environment variables, got "NODE_ENV=production"',
    ],
    [
      'env_<name> shape',
      { env_production: [] },
      'apps[0] (app).env_production: expected an object of environment variables, got []',
    ],
    ['port', { port: 70000 }, 'apps[0] (app).port: expected a port number (1 to 65535), got 70000'],
    ['cwd', { cwd: '' }, 'apps[0] (app).cwd: expected a directory path, got ""'],
    [
      'namespace',
      { namespace: 3 },
      'apps[0] (app).namespace: expected a namespace (a non-empty string), got 3',
    ],
    ['name type', { name: 7 }, 'apps[0].name: expected a name (a string), got 7'],
    [
      'interpreter',
      { interpreter: false },
      'apps[0] (app).interpreter: expected an interpreter (a command, a path, or "none"), got false',
    ],
  ];
  for (const [label, app, line] of cases) {
    it(`reports ${label}`, () => assert.deepEqual(issuesOf(app), [line]));
  }

  it('reports a missing script', () => {
    assert.deepEqual(
      configIssues(() => normalizeApps(inputFor(tmp.dir, [{ name: 'x' }]))),
      ['apps[0] (x).script: expected the script to run (a path, or a command on PATH), got nothing'],
    );
  });

  it('shortens long values', () => {
    const [line] = issuesOf({ env: 'x'.repeat(100) });
    assert.equal(
      line,
      `apps[0] (app).env: expected an object of environment variables, got "${'x'.repeat(56)}...`,
    );
  });

  it('collects every problem of every app into one error', () => {
    const apps = [
      { script: 'app.js', name: 'a', max_restarts: -1, kill_signal: 'NOPE' },
      { script: 'app.js', name: 'b' },
      { name: 'c', instances: 'x' },
    ];
    let caught: unknown;
    try {
      normalizeApps(inputFor(tmp.dir, apps, { source: '/srv/ecosystem.config.js' }));
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof TendError);
    assert.equal(caught.code, 'TEND_ERR_CONFIG_INVALID');
    const lines = [
      'apps[0] (a).max_restarts: expected a non-negative integer, got -1',
      'apps[0] (a).kill_signal: expected a signal name such as "SIGINT" or "SIGTERM", got "NOPE"',
      'apps[2] (c).script: expected the script to run (a path, or a command on PATH), got nothing',
      `apps[2] (c).instances: ${INSTANCES}, got "x"`,
    ];
    assert.equal(caught.data.where, '/srv/ecosystem.config.js');
    assert.equal(caught.data.detail, lines.join('\n'));
    assert.deepEqual(
      caught.data.issues,
      lines.map((l) => ({ path: l.slice(0, l.indexOf(': ')), message: l.slice(l.indexOf(': ') + 2) })),
    );
    assert.equal(caught.message, `/srv/ecosystem.config.js: ${lines.join('\n')}`);
    assert.equal(caught.exitCode, 2);
  });

  it('names the command line when there is no source', () => {
    try {
      normalizeApps(inputFor(tmp.dir, [{ script: 'app.js', max_restarts: -1 }]));
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof TendError);
      assert.equal(e.data.where, 'command line');
    }
  });
});
