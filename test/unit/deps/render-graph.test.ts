// `tend graph`'s renderers (pure): the tree (roots are what nothing depends on, a shared dependency expanded
// once), each app's state, edge labels, and Graphviz.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appState, edgeLabel, renderDot, renderGraph } from '../../../src/cli/render/graph.js';
import type { DependencyEdge, GraphApp } from '../../../src/protocol/dependencies.js';

const edge = (name: string, over: Partial<DependencyEdge> = {}): DependencyEdge => ({
  name,
  condition: 'process_started',
  timeout_ms: 0,
  restart: false,
  bind: false,
  required: true,
  ...over,
});
type Inst = GraphApp['instances'][number];
const online = (id: number, ready = true): Inst => ({ id, status: 'online', ready, reason: null });
const app = (
  name: string,
  depends_on: DependencyEdge[],
  dependents: string[],
  instances: Inst[] = [online(0)],
): GraphApp => ({ name, namespace: 'default', depends_on, dependents, instances });

const DATA = {
  apps: [
    app('db', [], ['api', 'worker'], [online(0)]),
    app('cache', [], ['api']),
    app(
      'api',
      [edge('db', { condition: 'process_healthy', bind: true }), edge('cache')],
      ['web'],
      [online(2), online(3, false)],
    ),
    app(
      'worker',
      [edge('db', { condition: 'process_healthy', timeout_ms: 120_000 })],
      ['web'],
      [{ id: 4, status: 'waiting', ready: false, reason: 'waiting for db (healthy), 3s/120s' }],
    ),
    app('web', [edge('api', { restart: true }), edge('worker', { required: false })], []),
    app('metrics', [], []),
  ],
  order: [['db', 'cache', 'metrics'], ['api', 'worker'], ['web']],
};

describe('tend graph renderers', () => {
  test('the tree: roots are what nothing depends on; a shared app is expanded once', () => {
    assert.equal(
      renderGraph(DATA, { colour: false }),
      [
        'web  online, ready 1/1',
        '├── api (started, restart)  online, ready 1/2',
        '│   ├── db (healthy, bind)  online, ready 1/1',
        '│   └── cache (started)  online, ready 1/1',
        '└── worker (started, optional)  waiting: waiting for db (healthy), 3s/120s',
        '    └── db (healthy, timeout 120s)  online, ready 1/1',
        'metrics  online, ready 1/1',
      ].join('\n'),
    );
  });

  test('a repeated app with dependencies of its own ends with (*); an unknown dependency says so', () => {
    const data = {
      apps: [
        app('db', [], ['api']),
        app('api', [edge('db'), edge('ghost')], ['a', 'b']),
        app('a', [edge('api')], []),
        app('b', [edge('api')], []),
      ],
      order: [],
    };
    const lines = renderGraph(data, { colour: false }).split('\n');
    assert.deepEqual(lines, [
      'a  online, ready 1/1',
      '└── api (started)  online, ready 1/1',
      '    ├── db (started)  online, ready 1/1',
      '    └── ghost (started)  not known to the daemon',
      'b  online, ready 1/1',
      '└── api (started)  online, ready 1/1 (*)',
    ]);
    assert.equal(renderGraph({ apps: [], order: [] }, { colour: false }), 'No apps.');
  });

  test('state and labels', () => {
    assert.equal(
      appState(
        app('x', [], [], [online(0), { id: 1, status: 'errored', ready: false, reason: 'max restarts' }]),
      ),
      'online 1, errored 1, ready 1/2: max restarts',
    );
    assert.equal(appState(app('x', [], [], [])), 'no instances');
    assert.equal(
      edgeLabel(
        edge('db', {
          condition: 'process_completed_successfully',
          bind: true,
          restart: true,
          required: false,
          timeout_ms: 1500,
        }),
      ),
      'completed successfully, bind, restart, optional, timeout 1.5s',
    );
  });

  test('Graphviz: a node per app, an edge from each app to what it needs, optional ones dashed', () => {
    const dot = renderDot(DATA);
    assert.match(dot, /^digraph tend \{\n/);
    assert.match(dot, /\n\}$/);
    assert.ok(dot.includes('"api" [label="api\\nonline, ready 1/2"];'), dot);
    assert.ok(dot.includes('"api" -> "db" [label="healthy, bind"];'), dot);
    assert.ok(dot.includes('"web" -> "worker" [label="started, optional", style=dashed];'), dot);
    assert.equal(dot.split('\n').filter((l) => l.includes('->')).length, 5);
  });
});
