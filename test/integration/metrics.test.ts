// Metrics with real processes (an in-process daemon context: real spawner, real cluster primary, real /proc)
// served by a tiny node:http server on 127.0.0.1 as the HTTP layer will: /metrics/apps merges two fork
// instances and a cluster app of 2 workers using tend/metrics, one HELP/TYPE per family, each series
// labelled with its app and instance_id; a silent instance is skipped and counted; both expositions pass
// `promtool check metrics`; OpenMetrics when Accept asks.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { healthEndpoint } from '../../src/metrics/health-endpoints.js';
import { type MetricsService, openMetrics } from '../../src/metrics/index.js';
import { FIXTURES } from '../helpers/daemon.js';
import { parseExposition, pick, sampleValue } from '../helpers/exposition.js';
import { createInjector, type Injector } from '../helpers/inject.js';
import { NEEDS_OPENMETRICS_PARSER, openMetricsCheck } from '../helpers/openmetrics.js';
import { NEEDS_PROMTOOL, promtoolCheck } from '../helpers/promtool.js';

let inj: Injector;
let metrics: MetricsService;
let server: Server;
let base: string;

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';

before(async () => {
  inj = createInjector();
  // A silent instance costs the scrape this long: short, so the test is quick.
  metrics = openMetrics(inj.ctx, { rollupOnly: false, appTimeoutMs: 500 });
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const answer =
      path === '/metrics'
        ? metrics.scrape(req.headers.accept)
        : path === '/metrics/apps'
          ? metrics.scrapeApps(req.headers.accept)
          : Promise.resolve(healthEndpoint(inj.ctx, 'readyz', true));
    void answer.then((e) => res.writeHead(e.status, { 'content-type': e.contentType }).end(e.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const conn = inj.connection();
  const script = 'metrics-app.cjs';
  await conn.call('app.start', {
    base_dir: FIXTURES,
    env: { PATH: process.env.PATH ?? '' },
    apps: [
      { name: 'forky', script, instances: 2, wait_ready: true, metrics: true },
      { name: 'clu', script, instances: 2, exec_mode: 'cluster', metrics: true, env: { LISTEN: '1' } },
      { name: 'quiet', script, wait_ready: true, metrics: true, env: { SILENT: '1' } },
      { name: 'plain', script, wait_ready: true },
    ],
  });
});

after(async () => {
  metrics?.close();
  await new Promise((resolve) => server?.close(resolve));
  await inj?.close();
});

async function get(path: string, accept?: string) {
  const res = await fetch(`${base}${path}`, accept ? { headers: { accept } } : {});
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('metrics of real processes', () => {
  test('every app is online and ready: readyz 200', async () => {
    const { status, body } = await get('/readyz');
    assert.equal(status, 200, body);
  });

  test('/metrics/apps: fork instances and cluster workers merged per family, labelled app and instance_id', async () => {
    const { status, type, body } = await get('/metrics/apps');
    assert.equal(status, 200);
    assert.equal(type, 'text/plain; version=0.0.4; charset=utf-8');
    const parsed = parseExposition(body);
    const served = pick(parsed, 'app_requests_total')
      .map((s) => `${s.labels.app}/${s.labels.instance_id}=${s.value}`)
      .sort();
    // The fixture counts instance + 1: each value comes from the instance its label names.
    assert.deepEqual(served, ['clu/0=1', 'clu/1=2', 'forky/0=1', 'forky/1=2']);
    for (const family of ['app_requests_total', 'app_latency_seconds', 'app_queue_depth'])
      assert.equal(parsed.helps.get(family), 1, `one HELP for ${family}`);
    assert.equal(parsed.types.get('app_latency_seconds'), 'histogram');
    assert.equal(
      pick(parsed, 'app_latency_seconds_bucket', { app: 'clu', instance_id: '1', le: '0.1' })[0]?.value,
      1,
    );
    // The app's own `app` and `instance_id` labels are overwritten by tend's; its other labels stay.
    const queue = pick(parsed, 'app_queue_depth', { app: 'forky', instance_id: '1' });
    assert.deepEqual(queue[0]?.labels, {
      app: 'forky',
      namespace: 'default',
      instance_id: '1',
      queue: 'mail',
    });
    // Not asked: an app without metrics: true. Skipped: the one that never answers.
    assert.equal(
      parsed.samples.filter((s) => s.labels.app === 'plain' || s.labels.app === 'quiet').length,
      0,
    );
  });

  test('a silent instance is counted in tend_app_metrics_scrape_errors_total', async () => {
    const before = parseExposition((await get('/metrics')).body);
    const was = sampleValue(before, 'tend_app_metrics_scrape_errors_total', { app: 'quiet' });
    await get('/metrics/apps');
    const after = parseExposition((await get('/metrics')).body);
    assert.equal(sampleValue(after, 'tend_app_metrics_scrape_errors_total', { app: 'quiet' }), was + 1);
    assert.equal(sampleValue(after, 'tend_app_metrics_scrape_errors_total', { app: 'forky' }), 0);
    assert.equal(pick(after, 'tend_app_metrics_scrape_errors_total', { app: 'plain' }).length, 0);
  });

  test('/metrics: /proc figures of each live instance, and the daemon process', async () => {
    const parsed = parseExposition((await get('/metrics')).body);
    for (const app of ['forky', 'clu'])
      for (const id of ['0', '1']) {
        const labels = { app, instance_id: id };
        assert.ok(sampleValue(parsed, 'tend_instance_resident_memory_bytes', labels) > 1_000_000);
        assert.ok(sampleValue(parsed, 'tend_instance_open_fds', labels) > 2);
        assert.ok(sampleValue(parsed, 'tend_instance_cpu_seconds_total', { ...labels, mode: 'user' }) > 0);
        assert.ok(sampleValue(parsed, 'tend_instance_start_time_seconds', labels) > Date.now() / 1000 - 600);
        assert.equal(sampleValue(parsed, 'tend_instance_up', labels), 1);
      }
    assert.equal(sampleValue(parsed, 'tend_app_info', { app: 'clu' }), 1);
    assert.equal(pick(parsed, 'tend_app_info', { app: 'clu', mode: 'cluster' }).length, 1);
    assert.ok(sampleValue(parsed, 'process_resident_memory_bytes') > 1_000_000);
    assert.equal(pick(parsed, 'nodejs_eventloop_lag_p99_seconds').length, 0, 'no event loop delay monitor');
  });

  test('OpenMetrics when Accept asks, on both expositions', async () => {
    for (const path of ['/metrics', '/metrics/apps']) {
      const { type, body } = await get(path, OPENMETRICS);
      assert.equal(type, 'application/openmetrics-text; version=1.0.0; charset=utf-8', path);
      assert.ok(body.endsWith('\n# EOF\n'), path);
      assert.doesNotMatch(body, /\n\n/, `${path}: no blank line`);
    }
    const apps = parseExposition((await get('/metrics/apps', OPENMETRICS)).body);
    assert.equal(apps.types.get('app_requests'), 'counter');
    assert.equal(pick(apps, 'app_requests_total').length, 4);
  });

  test('promtool check metrics: exit 0 on /metrics and /metrics/apps', { skip: NEEDS_PROMTOOL }, async () => {
    for (const path of ['/metrics', '/metrics/apps']) {
      const { code, output } = await promtoolCheck((await get(path)).body);
      assert.equal(code, 0, `${path}: ${output}`);
    }
  });

  test('the OpenMetrics parser accepts /metrics and /metrics/apps in OpenMetrics', {
    skip: NEEDS_OPENMETRICS_PARSER,
  }, async () => {
    for (const path of ['/metrics', '/metrics/apps']) {
      const { code, output } = await openMetricsCheck((await get(path, OPENMETRICS)).body);
      assert.equal(code, 0, `${path}: ${output}`);
    }
  });
});
