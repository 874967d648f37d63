// Seventh audit, compose: a service named with capitals (`Billing`) could not be built (compose tags the image
// `<project>-<service>` without lowering it, and an image name must be lower case); and the healthcheck's
// `tend-runtime probe`, a Node process per check (~40 MiB, ~50 ms of CPU), ran as often as the app's probe
// with its timeout, inside a memory cap that did not count it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { checkExport } from '../../../src/export/check.js';
import {
  HEALTHCHECK_INTERVAL_MIN_MS,
  HEALTHCHECK_TIMEOUT_MIN_MS,
  serviceName,
} from '../../../src/export/compose.js';
import { renderExport } from '../../../src/export/render.js';
import { PROBE_RSS_MIB } from '../../../src/export/units.js';
import { TendError } from '../../../src/protocol/errors.js';
import { appsFixtures, EXPORT_FIXTURES } from './support.js';

const { inputFor } = appsFixtures('tend-export-compose-names-');
const schema = JSON.parse(readFileSync(join(EXPORT_FIXTURES, 'compose-spec.json'), 'utf8'));
const validate = new Ajv.default({ strict: false, validateSchema: false, allErrors: true }).compile(schema);

async function compose(apps: Record<string, unknown>[], image: string | null = null) {
  const r = renderExport('compose', await inputFor(apps, { image }));
  const doc = parse(r.files[0]?.content ?? '');
  assert.equal(validate(doc), true, JSON.stringify(validate.errors));
  return { ...r, services: doc.services };
}

describe('service names in lower case', () => {
  test('Billing is billing (built as <project>-billing), warned; its dependents name it so', async () => {
    assert.equal(serviceName('Billing'), 'billing');
    assert.equal(serviceName('API_v2'), 'api_v2');
    assert.equal(serviceName('-lead'), 'lead');
    const r = await compose([
      { name: 'Billing', env: { PORT: 3000 }, ready_log_line: 'up' },
      { name: 'web', depends_on: { Billing: { condition: 'process_healthy' } } },
    ]);
    assert.deepEqual(Object.keys(r.services), ['billing', 'web']);
    assert.equal(r.services.billing.build, '.');
    assert.deepEqual(Object.keys(r.services.web.depends_on), ['billing']);
    // tend-runtime is still told the app's own name.
    assert.ok(r.services.billing.command.includes('--only=Billing'));
    assert.ok(r.services.billing.healthcheck.test.includes('--app=Billing'));
    assert.deepEqual(
      r.warnings.filter((w) => w.field === 'name').map((w) => `${w.app}: ${w.message}`),
      [
        'Billing: not a compose service name every step takes (compose names the image it builds <project>-<service>, and Docker takes an image name of lower case letters and digits joined by one ".", one "_", "__" or dashes, starting and ending with a letter or digit): the service is billing; rename the app to billing for one name everywhere',
      ],
    );
    const report = await checkExport('compose', r.files);
    assert.deepEqual(report.ran ? report.findings : [], []);
  });

  test('Api and api are one service: TEND_ERR_EXPORT_NAME_CLASH, as for Kubernetes', async () => {
    const input = await inputFor([{ name: 'api' }, { name: 'Api' }]);
    assert.throws(
      () => renderExport('compose', input),
      (err: unknown) =>
        err instanceof TendError &&
        err.code === 'TEND_ERR_EXPORT_NAME_CLASH' &&
        JSON.stringify(err.data) ===
          JSON.stringify({ target: 'compose service', first: 'api', second: 'Api', name: 'api' }),
    );
  });
});

describe('service names that make a valid image name (verification of the seventh audit)', () => {
  /** distribution/reference's path-component: what Docker takes between the slashes of an image name. */
  const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

  test('_worker, api., .hidden, a..b, a-_b, a___b: renamed to an image name component, each warned', async () => {
    const renamed = {
      _worker: 'worker',
      'api.': 'api',
      '.hidden': 'hidden',
      'a..b': 'a-b',
      'a-_b': 'a-b',
      a___b: 'a-b',
      'x._-y': 'x-y',
      '-lead': 'lead',
      ___: 'app',
    };
    for (const [app, service] of Object.entries(renamed)) {
      assert.equal(serviceName(app), service, app);
      // compose's project name starts and ends with a letter or digit too: <project>-<service> is valid.
      assert.match(`proj-${service}`, PATH_COMPONENT, app);
    }
    // The separators the grammar takes are kept as written.
    for (const kept of ['a.b', 'a_b', 'a__b', 'a-b', 'a---b', 'api_v2', 'a.b_c-d', 'w3'])
      assert.equal(serviceName(kept), kept, kept);
    const r = await compose(
      Object.keys(renamed)
        .filter((a) => a !== 'a-_b' && a !== 'a___b')
        .map((name) => ({ name })),
    );
    assert.deepEqual(Object.keys(r.services), ['worker', 'api', 'hidden', 'a-b', 'x-y', 'lead', 'app']);
    assert.ok(r.services.worker.command.includes('--only=_worker'), 'the runtime is told the app name');
    const names = r.warnings.filter((w) => w.field === 'name');
    assert.deepEqual(
      names.map((w) => w.app),
      ['_worker', 'api.', '.hidden', 'a..b', 'x._-y', '-lead', '___'],
    );
    assert.match(
      names[0]?.message ?? '',
      /compose names the image it builds <project>-<service>.*: the service is worker; rename the app to worker/,
    );
    const report = await checkExport('compose', r.files);
    assert.deepEqual(report.ran ? report.findings : [], []);
  });

  test('a..b, a-_b and a___b are one service a-b: TEND_ERR_EXPORT_NAME_CLASH; depends_on names the renamed one', async () => {
    const input = await inputFor([{ name: 'a..b' }, { name: 'a-_b' }]);
    assert.throws(
      () => renderExport('compose', input),
      (err: unknown) =>
        err instanceof TendError &&
        err.code === 'TEND_ERR_EXPORT_NAME_CLASH' &&
        JSON.stringify(err.data) ===
          JSON.stringify({ target: 'compose service', first: 'a..b', second: 'a-_b', name: 'a-b' }),
    );
    const r = await compose([
      { name: '_worker', wait_ready: true },
      { name: 'web', depends_on: { _worker: { condition: 'process_healthy' } } },
    ]);
    assert.deepEqual(Object.keys(r.services.web.depends_on), ['worker']);
  });
});

describe('the healthcheck is a Node process per check', () => {
  test('interval at least 2s, timeout at least 5s, each warned with the app value; the app probe runs as set', async () => {
    assert.deepEqual([HEALTHCHECK_INTERVAL_MIN_MS, HEALTHCHECK_TIMEOUT_MIN_MS], [2000, 5000]);
    const r = await compose([
      {
        name: 'fast',
        env: { PORT: 3000 },
        readiness_probe: { tcp_socket: { port: 3000 }, period_seconds: 0.5, timeout_seconds: 0.2 },
      },
      {
        name: 'slow',
        env: { PORT: 3001 },
        readiness_probe: { tcp_socket: { port: 3001 }, period_seconds: 10, timeout_seconds: 8 },
      },
      { name: 'gated', wait_ready: true },
    ]);
    const timing = (s: string) => [r.services[s].healthcheck.interval, r.services[s].healthcheck.timeout];
    assert.deepEqual(timing('fast'), ['2s', '5s']);
    assert.deepEqual(timing('slow'), ['10s', '8s']);
    // No probe of its own: the defaults, at the floors (5s, 5s), nothing to warn.
    assert.deepEqual(timing('gated'), ['5s', '5s']);
    assert.deepEqual(
      r.warnings
        .filter((w) => w.field.startsWith('readiness_probe.'))
        .map((w) => `${w.app}: ${w.field}: ${w.message}`),
      [
        "fast: readiness_probe.period_seconds: 0.5: the healthcheck's interval is 2s (each check starts a Node process, ~50 ms of CPU); tend-runtime still runs the app's probe with period_seconds 0.5, and the healthcheck reads its result",
        "fast: readiness_probe.timeout_seconds: 0.2: the healthcheck's timeout is 5s (it bounds the start of a Node process, not only the request, and a throttled container is slow to start one); tend-runtime still runs the app's probe with timeout_seconds 0.2, and the healthcheck reads its result",
      ],
    );
  });

  test('the memory cap counts the probe (48 MiB) where there is a healthcheck, and only there', async () => {
    const r = await compose([
      { name: 'checked', max_memory_restart: '100M', wait_ready: true },
      { name: 'unchecked', max_memory_restart: '100M' },
    ]);
    assert.equal(r.services.checked.deploy.resources.limits.memory, `${176 + PROBE_RSS_MIB}m`);
    assert.equal(r.services.unchecked.healthcheck, undefined);
    assert.equal(r.services.unchecked.deploy.resources.limits.memory, '176m');
  });
});
