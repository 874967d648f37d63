// A failing hook is counted where a user can see it: the alerts service's counters (sent, failed,
// suppressed per app and kind of hook) are `tend_app_notifications_total` on /metrics, with the app's
// labels, and the exposition still passes `promtool check metrics`. A real receiver on 127.0.0.1 refuses
// the delivery (404: not retried), so the counter moves without waiting on retries.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { DaemonContext } from '../../../src/daemon/context.js';
import { openMetrics } from '../../../src/metrics/index.js';
import { EventBus } from '../../../src/supervisor/event-bus.js';
import { parseExposition, pick, sampleValue } from '../../helpers/exposition.js';
import { NEEDS_PROMTOOL, promtoolCheck } from '../../helpers/promtool.js';
import { openReceiver, type Receiver, type Rig, rig } from './support.js';

let open: (Rig | Receiver)[] = [];
afterEach(async () => {
  for (const x of open) await x.close();
  open = [];
});

test('a failed webhook delivery shows in /metrics as tend_app_notifications_total{result="failed"}', async () => {
  const receiver = await openReceiver(() => 404);
  const r = rig();
  open.push(r, receiver);
  const webhook = {
    url: receiver.url,
    events: ['crash' as const],
    format: 'json' as const,
    secret: null,
    timeout_ms: 5000,
    max_per_minute: 10,
  };
  await r.start({ name: 'api', namespace: 'shop', notify: { webhook: [webhook], exec: [] } });
  await r.start({ name: 'quiet' });
  r.spawner.children[0]?.exit(1);
  await r.until((x) => x.outcome === 'failed', 'failed');

  const daemon = {
    supervisor: r.supervisor,
    bus: new EventBus(),
    alerts: r.alerts,
  } as unknown as DaemonContext;
  const metrics = openMetrics(daemon, { rollupOnly: true });
  const { body, status } = await metrics.scrape(undefined);
  metrics.close();
  assert.equal(status, 200);
  const parsed = parseExposition(body);
  const labels = { app: 'api', namespace: 'shop', hook: 'webhook' };
  assert.equal(sampleValue(parsed, 'tend_app_notifications_total', { ...labels, result: 'failed' }), 1);
  assert.equal(sampleValue(parsed, 'tend_app_notifications_total', { ...labels, result: 'sent' }), 0);
  assert.equal(sampleValue(parsed, 'tend_app_notifications_total', { ...labels, result: 'suppressed' }), 0);
  assert.deepEqual(pick(parsed, 'tend_app_notifications_total', { app: 'quiet' }), [], 'no hook, no series');
  if (NEEDS_PROMTOOL === false) {
    const check = await promtoolCheck(body);
    assert.equal(check.code, 0, check.output);
  }
});
