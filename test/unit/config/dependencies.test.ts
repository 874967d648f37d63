// depends_on: its two forms and compose's aliases, then the checks across apps (unknown names, self, cycles
// printed with their path, what a condition needs of its dependency), apps the daemon already runs, --only
// pulling in dependencies, and an ecosystem file's apps left out with the app they depend on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cycles } from '../../../src/config/dependency-checks.js';
import { normalizeAppsLenient } from '../../../src/config/lenient.js';
import { type NormalizeInput, normalizeApps } from '../../../src/config/normalize.js';
import type { AppSpec } from '../../../src/config/spec.js';
import { configIssues, inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
});
after(() => tmp.remove());

type App = Record<string, unknown>;
const app = (name: string, fields: App = {}): App => ({ name, script: 'app.js', ...fields });
const specs = (apps: App[], over: Partial<NormalizeInput> = {}) =>
  normalizeApps(inputFor(tmp.dir, apps, over));
const problems = (apps: App[], over: Partial<NormalizeInput> = {}) => configIssues(() => specs(apps, over));
const depsOf = (apps: App[], name = 'api') => specs(apps).find((s) => s.name === name)?.depends_on;
/** An app with a readiness source (an exec readiness probe). */
const ready = (name: string, fields: App = {}) =>
  app(name, { readiness_probe: { exec: { command: 'true' } }, ...fields });

describe('depends_on: forms', () => {
  it('a list of names: process_started, no timeout, no restart or bind, required', () => {
    assert.deepEqual(depsOf([app('db'), app('api', { depends_on: ['db'] })]), [
      {
        name: 'db',
        condition: 'process_started',
        timeout_ms: 0,
        restart: false,
        bind: false,
        required: true,
      },
    ]);
  });

  it('the long form, with every key; a bare number of seconds; null or {} take the defaults', () => {
    const deps = depsOf([
      ready('db'),
      app('cache'),
      app('migrate'),
      app('api', {
        depends_on: {
          db: {
            condition: 'process_healthy',
            timeout_seconds: 120,
            restart: true,
            bind: 'true',
            required: false,
          },
          cache: null,
          migrate: {},
        },
      }),
    ]);
    assert.deepEqual(deps, [
      {
        name: 'db',
        condition: 'process_healthy',
        timeout_ms: 120_000,
        restart: true,
        bind: true,
        required: false,
      },
      {
        name: 'cache',
        condition: 'process_started',
        timeout_ms: 0,
        restart: false,
        bind: false,
        required: true,
      },
      {
        name: 'migrate',
        condition: 'process_started',
        timeout_ms: 0,
        restart: false,
        bind: false,
        required: true,
      },
    ]);
    assert.equal(
      depsOf([app('db'), app('api', { depends_on: { db: { timeout_seconds: '1m' } } })])?.[0]?.timeout_ms,
      60_000,
    );
  });

  it("compose's service_* conditions and process_ready are folded", () => {
    const deps = depsOf([
      ready('a'),
      app('b'),
      app('c'),
      ready('d'),
      app('api', {
        depends_on: {
          a: { condition: 'service_healthy' },
          b: { condition: 'service_started' },
          c: { condition: 'service_completed_successfully' },
          d: { condition: 'process_ready' },
        },
      }),
    ]);
    assert.deepEqual(
      deps?.map((d) => d.condition),
      ['process_healthy', 'process_started', 'process_completed_successfully', 'process_healthy'],
    );
  });

  it('an unknown condition lists the accepted ones', () => {
    assert.deepEqual(problems([app('db'), app('api', { depends_on: { db: { condition: 'healthy' } } })]), [
      'apps[1] (api).depends_on.db.condition: expected a condition: "process_started", "process_healthy", "process_log_ready", "process_completed", "process_completed_successfully" (or "service_started", "service_healthy", "service_completed_successfully", "process_ready"), got "healthy"',
    ]);
  });

  it('wrong shapes, unknown keys, a name listed twice', () => {
    assert.deepEqual(
      problems([
        app('db'),
        app('a', { depends_on: 'db' }),
        app('b', { depends_on: ['db', 'db', 3] }),
        app('c', { depends_on: { db: { conditon: 'process_started', timeout_seconds: -5 } } }),
        app('d', { depends_on: { db: true } }),
      ]),
      [
        'apps[1] (a).depends_on: expected a list of app names, or an object { name: { condition, timeout_seconds, … } }, got "db"',
        'apps[2] (b).depends_on[1]: expected each app once (it is listed before), got "db"',
        'apps[2] (b).depends_on[2]: expected the name of an app, got 3',
        'apps[3] (c).depends_on.db.conditon: unknown key of a dependency (did you mean "condition"?), got "process_started"',
        'apps[3] (c).depends_on.db.timeout_seconds: expected seconds (a number, fractions allowed), or a duration such as "500ms" or "10s", got -5',
        'apps[4] (d).depends_on.db: expected { condition, timeout_seconds, restart, bind, required }, got true',
      ],
    );
  });
});

describe('depends_on: across the apps', () => {
  it('an unknown name, with a "did you mean", or the apps of the file', () => {
    assert.deepEqual(
      problems([
        app('db'),
        app('cache'),
        app('api', { depends_on: ['dbb'] }),
        app('web', { depends_on: { queue: null } }),
      ]),
      [
        'apps[2] (api).depends_on[0]: no app named "dbb" in this file or running in tend (did you mean "db"?)',
        'apps[3] (web).depends_on.queue: no app named "queue" in this file or running in tend (apps of the file: "db", "cache", "api")',
      ],
    );
  });

  it('an app depending on itself', () => {
    assert.deepEqual(problems([app('api', { depends_on: ['api'] })]), [
      'apps[0] (api).depends_on[0]: an app cannot depend on itself, got "api"',
    ]);
  });

  it('a cycle is printed with its whole path, from the first app of the file in it', () => {
    const apps = [
      app('web', { depends_on: ['api'] }),
      app('api', { depends_on: ['worker'] }),
      app('worker', { depends_on: ['cache'] }),
      app('cache', { depends_on: { api: { condition: 'process_started' } } }),
    ];
    assert.deepEqual(problems(apps), ['apps: dependency cycle: api → worker → cache → api']);
    // The same cycle, the apps in another order: the path starts at the first of them in the file.
    assert.deepEqual(problems([apps[3]!, apps[2]!, apps[1]!, apps[0]!]), [
      'apps: dependency cycle: cache → api → worker → cache',
    ]);
  });

  it('a file of one app: its own name, not "none", and never "did you mean" itself (sixth audit)', () => {
    assert.deepEqual(problems([app('web', { depends_on: ['redis'] })]), [
      'apps[0] (web).depends_on[0]: no app named "redis" in this file or running in tend ("web" is the file\'s only app)',
    ]);
    assert.deepEqual(problems([app('web', { depends_on: ['web2'] })]), [
      'apps[0] (web).depends_on[0]: no app named "web2" in this file or running in tend ("web" is the file\'s only app)',
    ]);
  });

  it('every cycle is reported once, with the other problems of the file', () => {
    assert.deepEqual(
      problems([
        app('a', { depends_on: ['b'] }),
        app('b', { depends_on: ['a'] }),
        app('c', { depends_on: ['d', 'queue'] }),
        app('d', { depends_on: ['c'], max_restarts: -1 }),
      ]),
      [
        'apps[3] (d).max_restarts: expected a non-negative integer, got -1',
        'apps[2] (c).depends_on[1]: no app named "queue" in this file or running in tend (apps of the file: "a", "b", "d")',
        'apps: dependency cycle: a → b → a',
        'apps: dependency cycle: c → d → c',
      ],
    );
  });

  it('cycles() walks in the graph order, dependencies in the order written', () => {
    const graph = new Map([
      ['a', ['b', 'c']],
      ['b', ['c']],
      ['c', ['a']],
    ]);
    // a → b → c → a is met first; a → c then reaches c, already walked: one cycle, as the walk met it.
    assert.deepEqual(cycles(graph), [['a', 'b', 'c', 'a']]);
    assert.deepEqual(cycles(new Map([['a', []]])), []);
  });

  it('process_healthy needs a readiness source on the dependency, and says what would give it one', () => {
    const healthy = { depends_on: { db: { condition: 'process_healthy' } } };
    assert.deepEqual(problems([app('db'), app('api', healthy)]), [
      'apps[1] (api).depends_on.db.condition: "process_healthy" waits until db is ready, and db has no readiness source: give it wait_ready, ready_log_line, a startup_probe or a readiness_probe (a cluster app is ready when it listens), or wait for "process_started"',
    ]);
    for (const db of [
      app('db', { wait_ready: true }),
      app('db', { ready_log_line: 'ready' }),
      app('db', { startup_probe: { tcp_socket: { port: 5432 } } }),
      ready('db'),
      app('db', { instances: 2 }), // a Node script with instances: cluster mode, ready when it listens
    ])
      assert.equal(depsOf([db, app('api', healthy)])?.[0]?.condition, 'process_healthy', JSON.stringify(db));
  });

  it('process_log_ready needs ready_log_line on the dependency', () => {
    const logReady = { depends_on: { db: { condition: 'process_log_ready' } } };
    assert.deepEqual(problems([ready('db'), app('api', logReady)]), [
      'apps[1] (api).depends_on.db.condition: "process_log_ready" waits for db\'s ready_log_line, and db has none: set ready_log_line on db',
    ]);
    assert.equal(
      depsOf([app('db', { ready_log_line: '/ready/' }), app('api', logReady)])?.[0]?.condition,
      'process_log_ready',
    );
  });
});

describe('depends_on: apps the daemon already runs', () => {
  const running = (fields: App = {}): AppSpec => specs([app('db', fields)])[0]!;

  it('a dependency may be a running app, checked with its readiness', () => {
    const healthy = app('api', { depends_on: { db: { condition: 'service_healthy' } } });
    assert.equal(
      specs([healthy], { existing: [running({ wait_ready: true })] })[0]?.depends_on[0]?.name,
      'db',
    );
    assert.deepEqual(problems([healthy], { existing: [running()] }), [
      'apps[0] (api).depends_on.db.condition: "process_healthy" waits until db is ready, and db (running) has no readiness source: give it wait_ready, ready_log_line, a startup_probe or a readiness_probe (a cluster app is ready when it listens), or wait for "process_started"',
    ]);
  });

  it("a running app's own dependencies count for cycles", () => {
    // db runs, and depends on api (which ran then too): api of the input cannot depend on db.
    const existing = specs([app('db', { depends_on: ['api'] }), app('api')]).filter((s) => s.name === 'db');
    assert.deepEqual(problems([app('api', { depends_on: ['db'] })], { existing }), [
      'apps: dependency cycle: api → db → api',
    ]);
  });
});

describe('--only and dependencies', () => {
  const file = [
    app('web', { depends_on: ['api'] }),
    app('cache'),
    app('api', { depends_on: ['db', 'cache'] }),
    app('db'),
    app('other'),
  ];

  it('selects what the apps asked for depend on, transitively, in file order, with a note each', () => {
    const out = specs(file, { only: ['web'] });
    assert.deepEqual(
      out.map((s) => s.name),
      ['web', 'cache', 'api', 'db'],
    );
    assert.deepEqual(
      out.map((s) => s.notes),
      [
        [],
        ['apps[1] (cache): started too: api depends on it (TEND_ERR_NOTICE)'],
        ['apps[2] (api): started too: web depends on it (TEND_ERR_NOTICE)'],
        ['apps[3] (db): started too: api depends on it (TEND_ERR_NOTICE)'],
      ],
    );
  });

  it('adds nothing the daemon runs already, and nothing with withDependencies: false', () => {
    const existing = [specs([app('db')])[0]!];
    assert.deepEqual(
      specs(file, { only: ['api'], existing }).map((s) => s.name),
      ['cache', 'api'],
    );
    assert.deepEqual(
      specs(file, { only: ['api'], withDependencies: false }).map((s) => s.name),
      ['api'],
    );
  });
});

describe('an ecosystem file: apps left out with their dependency', () => {
  it('an app depending on a left-out app is left out too, and both are reported', () => {
    const r = normalizeAppsLenient(
      inputFor(
        tmp.dir,
        [
          app('db', { max_restarts: -1 }),
          app('api', { depends_on: ['db'] }),
          app('web', { depends_on: { api: null } }),
          app('other'),
        ],
        { source: '/x/eco.config.js' },
      ),
    );
    assert.deepEqual(
      r.specs.map((s) => s.name),
      ['other'],
    );
    assert.deepEqual(r.rejected?.apps, ['db', 'api', 'web']);
    assert.deepEqual(r.rejected?.error.message.split('\n'), [
      '/x/eco.config.js: apps[0] (db).max_restarts: expected a non-negative integer, got -1',
      'apps[1] (api).depends_on[0]: not started: "db" is left out (its problems are listed)',
      'apps[2] (web).depends_on.api: not started: "api" is left out (its problems are listed)',
    ]);
  });

  it('a cycle fails the whole file', () => {
    assert.throws(
      () =>
        normalizeAppsLenient(
          inputFor(tmp.dir, [app('a', { depends_on: ['b'] }), app('b', { depends_on: ['a'] }), app('c')], {
            source: '/x/eco.config.js',
          }),
        ),
      /apps: dependency cycle: a → b → a/,
    );
  });
});
