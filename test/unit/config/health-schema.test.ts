// The JSON Schema of issue 13's fields, checked with a real validator (ajv): a full example validates and tend
// accepts it; a probe with two handlers, none, an unknown key or a liveness success_threshold > 1, and a
// depends_on with an unknown condition are rejected, by the editor as by tend.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { ecosystemJsonSchema } from '../../../src/config/json-schema.js';
import { normalizeApps } from '../../../src/config/normalize.js';
import { inputFor, makeTmp, type TmpDir } from './helpers.js';

const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
const validate = ajv.compile(ecosystemJsonSchema());
const schemaAccepts = (app: Record<string, unknown>) => validate({ apps: [app] });

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('server.js', '');
});
after(() => tmp.remove());

const tendAccepts = (apps: Record<string, unknown>[]) => {
  try {
    normalizeApps(inputFor(tmp.dir, apps));
    return true;
  } catch {
    return false;
  }
};

const full = [
  { name: 'db', script: 'server.js', ready_log_line: '/ready to accept connections/i' },
  { name: 'migrate', script: 'server.js', autorestart: false },
  {
    name: 'api',
    script: 'server.js',
    port: 3000,
    instances: 2,
    exec_mode: 'cluster',
    wait_ready: true,
    listen_timeout: '30s',
    on_ready_timeout: 'fail',
    watchdog_sec: 30,
    startup_probe: {
      http_get: { port: '$PORT+instance', path: '/livez' },
      period_seconds: 1,
      failure_threshold: 30,
    },
    readiness_probe: {
      httpGet: { port: '$PORT+instance', path: '/readyz', scheme: 'HTTP', headers: { 'X-Probe': 'tend' } },
      periodSeconds: '500ms',
      successThreshold: 2,
    },
    liveness_probe: { exec: { command: ['node', '-e', '0'], env: { A: 1 } }, timeout_seconds: 0.5 },
    max_surge: 2,
    min_ready_seconds: 5,
    depends_on: {
      db: { condition: 'process_log_ready', timeout_seconds: 120, restart: true, bind: true },
      migrate: { condition: 'service_completed_successfully', required: false },
    },
  },
  { name: 'web', script: 'server.js', depends_on: ['api'], liveness_probe: { tcp_socket: { port: 8080 } } },
];

describe('JSON Schema: readiness, probes, depends_on', () => {
  it('a full example validates, and tend accepts it', () => {
    assert.equal(validate({ apps: full }), true, JSON.stringify(validate.errors));
    assert.equal(tendAccepts(full), true);
  });

  it('rejects what tend rejects in a probe', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['two handlers', { readiness_probe: { http_get: { port: 1 }, exec: { command: 'true' } } }],
      ['the same handler twice', { readiness_probe: { http_get: { port: 1 }, httpGet: { port: 1 } } }],
      ['no handler', { readiness_probe: { period_seconds: 5 } }],
      ['an unknown key', { readiness_probe: { http_get: { port: 1 }, perod_seconds: 5 } }],
      ['an unknown handler key', { readiness_probe: { http_get: { port: 1, pth: '/' } } }],
      [
        'a liveness success_threshold of 2',
        { liveness_probe: { exec: { command: 'true' }, success_threshold: 2 } },
      ],
      [
        'a startup successThreshold of 2',
        { startup_probe: { exec: { command: 'true' }, successThreshold: '2' } },
      ],
      ['a zero failure_threshold', { readiness_probe: { exec: { command: 'true' }, failure_threshold: 0 } }],
      ['a zero period', { readiness_probe: { exec: { command: 'true' }, period_seconds: 0 } }],
      ['a port that is no $PORT form', { readiness_probe: { tcp_socket: { port: '$OTHER' } } }],
      ['a port out of range', { readiness_probe: { tcp_socket: { port: 70000 } } }],
      ['no port', { readiness_probe: { http_get: { path: '/' } } }],
      ['an unknown condition', { depends_on: { api: { condition: 'healthy' } } }],
      ['an unknown dependency key', { depends_on: { api: { conditon: 'process_started' } } }],
      ['a name listed twice', { depends_on: ['api', 'api'] }],
      ['assume_ready misspelt', { on_ready_timeout: 'assume' }],
      ['a zero max_surge', { max_surge: 0 }],
      ['probe_via misspelt', { probe_via: 'any' }],
    ];
    for (const [what, fields] of cases) {
      const app = { name: 'x', script: 'server.js', ...fields };
      assert.equal(schemaAccepts(app), false, `schema: ${what}`);
      assert.equal(tendAccepts([{ name: 'api', script: 'server.js' }, app]), false, `tend: ${what}`);
    }
  });

  it('accepts the forms tend accepts', () => {
    const cases: Record<string, unknown>[] = [
      { readiness_probe: { tcpSocket: { port: '3000' }, initialDelaySeconds: '2', failureThreshold: '5' } },
      { liveness_probe: { exec: { command: 'curl -f localhost' }, success_threshold: 1 } },
      { watchdog_sec: '500ms', min_ready_seconds: 1.5, max_surge: '2' },
      { depends_on: { api: null } },
      { depends_on: [] },
      { ready_log_line: 'listening' },
    ];
    for (const fields of cases) {
      const app = { name: 'x', script: 'server.js', port: 3000, ...fields };
      assert.equal(
        schemaAccepts(app),
        true,
        `schema: ${JSON.stringify(fields)} ${JSON.stringify(validate.errors)}`,
      );
      assert.equal(
        tendAccepts([{ name: 'api', script: 'server.js' }, app]),
        true,
        `tend: ${JSON.stringify(fields)}`,
      );
    }
  });
});
