// The /api/v1 routes over the protocol: each builds a request and runs it through the daemon's dispatch(),
// with the same handlers and validation as the socket. GET only reads; every change is a POST or DELETE
// (admin). The table is also the OpenAPI document's source (openapi.ts).
import { TendError } from '../protocol/errors.js';
import { type MethodName, methods } from '../protocol/methods/index.js';
import { answer, targetOf, withBody } from './answer.js';
import { daemonInfo } from './daemon-info.js';
import { queryLogs } from './logs-query.js';
import { sendJson } from './reply.js';
import type { Route, RouteRequest } from './types.js';

/** Methods a read token may call through POST /api/v1/call/:method. */
export const READ_METHODS: ReadonlySet<string> = new Set([
  'daemon.hello',
  'process.list',
  'process.describe',
  'app.graph',
  'logs.files',
]);
/** Not callable over HTTP: subscriptions are the SSE routes; `daemon.web` belongs to the local CLI. */
export const LOCAL_METHODS: ReadonlySet<string> = new Set([
  'events.subscribe',
  'logs.subscribe',
  'daemon.web',
]);

const target = (r: RouteRequest) => targetOf(r.params.target);
const TARGET_DOC = 'a name, id, namespace or "all"; several separated by commas';

function action(verb: string, method: MethodName, summary: string): Route {
  return {
    method: 'POST',
    path: `/api/v1/processes/:target/${verb}`,
    scope: 'admin',
    summary,
    protocol: method,
    body: 'params',
    handle: (r) => answer(r, method, withBody(r.body, { target: target(r) })),
  };
}

export const apiRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/processes',
    scope: 'read',
    summary: 'Every instance (as `tend jlist`).',
    protocol: 'process.list',
    handle: (r) => answer(r, 'process.list', {}),
  },
  {
    method: 'GET',
    path: '/api/v1/processes/:target',
    scope: 'read',
    summary: `Everything known about the matching instances (${TARGET_DOC}); env values redacted.`,
    protocol: 'process.describe',
    query: [{ name: 'reveal_env', description: '1: show env values (admin token only)', type: 'string' }],
    handle: (r) => answer(r, 'process.describe', { target: target(r) }),
  },
  {
    method: 'GET',
    path: '/api/v1/graph',
    scope: 'read',
    summary: 'The dependency graph (optionally only the named apps).',
    protocol: 'app.graph',
    query: [{ name: 'target', description: 'app names, separated by commas' }],
    handle: (r) => {
      const only = targetOf(r.query.get('target') ?? undefined);
      return answer(r, 'app.graph', {}, (g) => {
        if (only.length === 0) return g;
        const graph = g as { apps: { name: string }[]; order: string[][] };
        return {
          apps: graph.apps.filter((a) => only.includes(a.name)),
          order: graph.order
            .map((level) => level.filter((n) => only.includes(n)))
            .filter((l) => l.length > 0),
        };
      });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/apps',
    scope: 'admin',
    summary:
      "Start apps from an ecosystem object (`{apps: [...]}` and app.start's other params); relative paths " +
      "resolve against base_dir, by default the daemon's home.",
    protocol: 'app.start',
    body: 'params',
    handle: (r) => {
      const body = r.body;
      const params =
        typeof body === 'object' && body !== null && !Array.isArray(body)
          ? // Errors name the body as the apps' origin ("request body: apps[0].instances: …"), not the
            // command line; the apps are still started as the command line's are: all or nothing.
            {
              base_dir: r.api.daemon.paths.home,
              origin: 'request body',
              ...(body as Record<string, unknown>),
            }
          : body;
      return answer(r, 'app.start', params);
    },
  },
  action('start', 'process.start', 'Start the matching instances.'),
  action('stop', 'process.stop', 'Stop the matching instances.'),
  action('restart', 'process.restart', 'Restart the matching instances.'),
  action('reload', 'process.reload', 'Reload the matching instances (zero-downtime in cluster mode).'),
  action('signal', 'process.signal', 'Send a signal (`{"signal": "SIGUSR2"}`) to the matching instances.'),
  {
    method: 'POST',
    path: '/api/v1/apps/:name/scale',
    scope: 'admin',
    summary: 'Set the number of instances of an app (`{"instances": n}`).',
    protocol: 'app.scale',
    body: 'params',
    handle: (r) => answer(r, 'app.scale', withBody(r.body, { name: r.params.name })),
  },
  {
    method: 'DELETE',
    path: '/api/v1/processes/:target',
    scope: 'admin',
    summary: 'Stop and remove the matching instances.',
    protocol: 'process.delete',
    handle: (r) => answer(r, 'process.delete', { target: target(r) }),
  },
  {
    method: 'POST',
    path: '/api/v1/save',
    scope: 'admin',
    summary: 'Save the process list to dump.json (as `tend save`).',
    protocol: 'daemon.save',
    body: 'params',
    handle: (r) => answer(r, 'daemon.save', r.body),
  },
  {
    method: 'GET',
    path: '/api/v1/logs',
    scope: 'read',
    summary: 'The last lines of the matching log files.',
    protocol: 'logs.files',
    query: [
      { name: 'app', description: `${TARGET_DOC} (default all)` },
      { name: 'instance', description: 'the instance number within the app (0..N-1)', type: 'integer' },
      { name: 'stream', description: 'out or err (default both)' },
      {
        name: 'grep',
        description:
          'only lines containing this text, searched back from the end of each file within its share of 16 MiB (at least 256 KiB)',
      },
      { name: 'lines', description: 'lines per file, 1..1000 (default 100)', type: 'integer' },
    ],
    result: {
      type: 'object',
      properties: {
        lines: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              app: { type: 'string' },
              instance_id: { type: ['integer', 'null'] },
              stream: { type: 'string', enum: ['out', 'err'] },
              line: { type: 'string' },
            },
          },
        },
        note: {
          type: 'string',
          description:
            "present when grep stopped at a file's share of its 16 MiB budget before finding `lines`",
        },
      },
    },
    handle: async (r) => sendJson(r.res, 200, await queryLogs(r)),
  },
  {
    method: 'GET',
    path: '/api/v1/daemon',
    scope: 'read',
    summary: "The daemon's identity and its own use of the machine.",
    result: {
      type: 'object',
      properties: {
        version: { type: 'string' },
        pid: { type: 'integer' },
        node: { type: 'string' },
        started_at: { type: 'number', description: 'ms since the epoch' },
        uptime_s: { type: 'number' },
        cpu_seconds: { type: 'number' },
        rss_bytes: { type: 'integer' },
        listeners: {
          type: 'array',
          items: { type: 'object', properties: { kind: { type: 'string' }, url: { type: 'string' } } },
        },
      },
    },
    handle: (r) => sendJson(r.res, 200, daemonInfo(r.api)),
  },
  {
    method: 'POST',
    path: '/api/v1/call/:method',
    scope: 'read',
    summary:
      'Any protocol method by name (docs/protocol.md), body `{"params": {...}}`. Read methods need the read ' +
      'token, the others the admin token; subscriptions are the SSE routes.',
    body: {
      description: "`params`: the method's params",
      schema: { type: 'object', properties: { params: {} }, additionalProperties: false },
    },
    handle: (r) => {
      const name = r.params.method as string;
      if (LOCAL_METHODS.has(name))
        throw new TendError('TEND_ERR_ROUTE_NOT_FOUND', { method: 'POST', path: `/api/v1/call/${name}` });
      if (!Object.hasOwn(methods, name)) throw new TendError('TEND_ERR_UNKNOWN_METHOD', { method: name });
      if (!READ_METHODS.has(name) && r.auth?.scope !== 'admin')
        throw new TendError('TEND_ERR_FORBIDDEN', { detail: `${name} needs the admin token` });
      const body = r.body as { params?: unknown } | undefined;
      if (
        typeof body !== 'object' ||
        body === null ||
        Array.isArray(body) ||
        Object.keys(body).some((k) => k !== 'params')
      )
        throw new TendError('TEND_ERR_BAD_REQUEST', { detail: 'the body is {"params": {...}}' });
      return answer(r, name as MethodName, body.params ?? {});
    },
  },
];
