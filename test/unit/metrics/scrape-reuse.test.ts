// /metrics under a flood (fifth audit): a render is reused for SCRAPE_REUSE_MS, concurrent scrapes share it,
// and any supervisor event (a state change, a restart) makes the next scrape render anew.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DaemonContext } from '../../../src/daemon/context.js';
import { openMetrics } from '../../../src/metrics/index.js';
import { setup } from '../../helpers/supervisor.js';

test('scrapes share one render until an event; each format has its own', async () => {
  const s = setup();
  await s.supervisor.start(s.add({ name: 'api' }), false);
  const metrics = openMetrics({ supervisor: s.supervisor, bus: s.bus } as unknown as DaemonContext, {
    rollupOnly: false,
  });
  try {
    const first = metrics.scrape(undefined);
    // Concurrent and immediately following scrapes: the same render (the same promise, one body).
    assert.equal(metrics.scrape(undefined), first);
    const body = (await first).body;
    assert.equal(metrics.scrape(undefined), first);
    assert.match(body, /^tend_instance_state\{[^}]*state="online"\} 1$/m);
    // OpenMetrics is rendered apart.
    const om = metrics.scrape('application/openmetrics-text; version=1.0.0');
    assert.notEqual(om, first);
    assert.match((await om).body, /# EOF\n$/);
    // An event (a restart begins: the instance is stopping) makes the next scrape render anew, and it shows
    // the new state at once.
    const [unit] = s.supervisor.instances();
    assert.ok(unit);
    void s.supervisor.restart([unit], false);
    const after = metrics.scrape(undefined);
    assert.notEqual(after, first);
    assert.match((await after).body, /^tend_instance_state\{[^}]*state="stopping"\} 1$/m);
  } finally {
    metrics.close();
  }
});
