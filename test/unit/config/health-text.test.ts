// describe's one-line texts of probes and dependencies (config/health-text.ts), from normalised specs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dependencyText, healthFieldText, probeText, secondsText } from '../../../src/config/health-text.js';
import { normalizeApps } from '../../../src/config/normalize.js';
import { fieldsOf, specKeyOf } from '../../../src/config/registry/index.js';
import { inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
});
after(() => tmp.remove());

const spec = (fields: Record<string, unknown>) =>
  normalizeApps(
    inputFor(tmp.dir, [
      { name: 'db', script: 'app.js', ready_log_line: 'ready' },
      { name: 'api', script: 'app.js', port: 3000, ...fields },
    ]),
  )[1]!;

describe('health texts', () => {
  it('durations read as seconds, or ms below one', () => {
    assert.deepEqual([10_000, 1500, 250, 0].map(secondsText), ['10s', '1.5s', '250ms', '0s']);
  });

  it('a probe in one line: handler, target, timing, thresholds', () => {
    const s = spec({
      readiness_probe: { http_get: { port: '$PORT', path: '/readyz' } },
      liveness_probe: { tcp_socket: { port: 5432 }, initial_delay_seconds: 5, period_seconds: 0.5 },
      startup_probe: { exec: { command: ['pg_isready', '-q'] }, failure_threshold: 30 },
    });
    assert.equal(probeText(s.readiness_probe!), 'http_get 127.0.0.1:$PORT/readyz every 10s, timeout 1s, 1/3');
    assert.equal(
      probeText(s.liveness_probe!),
      'tcp_socket 127.0.0.1:5432 after 5s, every 500ms, timeout 1s, 1/3',
    );
    assert.equal(probeText(s.startup_probe!), 'exec ["pg_isready","-q"] every 10s, timeout 1s, 1/30');
    const https = spec({
      readiness_probe: { http_get: { port: 443, scheme: 'https', headers: { Host: 'x' } } },
    });
    assert.equal(
      probeText(https.readiness_probe!),
      'http_get https://127.0.0.1:443/ (headers: Host) every 10s, timeout 1s, 1/3',
    );
  });

  it('a dependency: its condition, and what differs from the defaults', () => {
    const s = spec({
      depends_on: { db: { condition: 'service_healthy', timeout_seconds: 120, bind: true, required: false } },
    });
    assert.equal(dependencyText(s.depends_on[0]!), 'process_healthy, timeout 120s, bind, optional');
  });

  it("describe's rows of the readiness group: every field of the registry's group", () => {
    const s = spec({ watchdog_sec: 30, readiness_probe: { tcp_socket: { port: 1 } } }) as unknown as Record<
      string,
      unknown
    >;
    const rows = Object.fromEntries(
      fieldsOf('readiness and health').map((f) => [f.name, healthFieldText(f, s[specKeyOf(f)])]),
    );
    assert.deepEqual(rows, {
      ready_log_line: null,
      on_ready_timeout: 'fail',
      watchdog_sec: '30s',
      startup_probe: null,
      readiness_probe: 'tcp_socket 127.0.0.1:1 every 10s, timeout 1s, 1/3',
      liveness_probe: null,
      probe_via: null,
      max_surge: '1',
      min_ready_seconds: '0s',
    });
    const off = spec({}) as unknown as Record<string, unknown>;
    const watchdog = fieldsOf('readiness and health').find((f) => f.name === 'watchdog_sec')!;
    assert.equal(healthFieldText(watchdog, off.watchdog_ms), 'off');
  });
});
