// `tend describe` shows an app's probes as written, but not a credential in them (the second export audit:
// an exec probe's `curl http://admin:execpw@…` was printed as it is): the probe's command or URL is masked
// with the rule `tend env` masks with (protocol/secrets.ts), its kind and timing stay.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskProbeText } from '../../../src/cli/render/describe.js';
import { probeText } from '../../../src/config/health-text.js';
import type { ProbeHandler, ProbeSpec } from '../../../src/config/spec.js';
import { MASK } from '../../../src/protocol/secrets.js';

const probe = (handler: unknown): ProbeSpec => ({
  handler: handler as ProbeHandler,
  initial_delay_ms: 1500,
  period_ms: 10_000,
  timeout_ms: 1000,
  success_threshold: 1,
  failure_threshold: 3,
});

test('an exec probe with a URL password, an http path with a token: masked, the timing kept', () => {
  const exec = probeText(
    probe({ exec: { command: 'curl -fsS http://admin:execpw@127.0.0.1:3000/', working_dir: null, env: {} } }),
  );
  assert.equal(maskProbeText(exec), `exec ${MASK} after 1.5s, every 10s, timeout 1s, 1/3`);
  const http = probeText(
    probe({
      http_get: { host: '127.0.0.1', port: 3000, path: '/?token=probetok', scheme: 'http', headers: {} },
    }),
  );
  assert.equal(maskProbeText(http), `http_get ${MASK} after 1.5s, every 10s, timeout 1s, 1/3`);
  assert.equal(maskProbeText('HTTP 401 for Authorization: Bearer hdrtok123'), MASK);
});

test('a probe without a credential, and no probe, are shown as they are', () => {
  const plain = probeText(
    probe({ http_get: { host: '127.0.0.1', port: '$PORT', path: '/readyz', scheme: 'http', headers: {} } }),
  );
  assert.equal(maskProbeText(plain), plain);
  assert.equal(maskProbeText(null), null);
});
