// Issue 13's fields in saved specs (state.json, dump.json): a spec with probes and depends_on comes back from
// its JSON text equal; a spec an older tend wrote without them gets the defaults (no probes, no
// dependencies); a depends_on of the wrong kind rejects the app.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import type { AppSpec } from '../../../src/config/spec.js';
import { referenceSpec } from '../../../src/persist/reference-spec.js';
import { checkSpec } from '../../../src/persist/spec-check.js';

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tend-persist-health-')));
fs.writeFileSync(path.join(dir, 'app.js'), '');
fs.mkdirSync(path.join(dir, 'probes'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const reference = referenceSpec(dir);

const [, api] = normalizeApps({
  apps: [
    { name: 'db', script: 'app.js', ready_log_line: '/ready/i' },
    {
      name: 'api',
      script: 'app.js',
      port: 3000,
      on_ready_timeout: 'assume_ready',
      watchdog_sec: 30,
      listen_timeout: '20s',
      startup_probe: { tcp_socket: { port: '$PORT' }, failure_threshold: 30 },
      readiness_probe: {
        httpGet: { port: '$PORT', path: '/readyz', headers: { A: 'b' } },
        successThreshold: 2,
      },
      liveness_probe: { exec: { command: ['true'], working_dir: 'probes', env: { X: 1 } } },
      max_surge: 2,
      min_ready_seconds: 3,
      depends_on: { db: { condition: 'process_log_ready', timeout_seconds: 60, restart: true, bind: true } },
    },
  ],
  source: null,
  baseDir: dir,
  callerEnv: { PATH: '/usr/bin:/bin', HOME: dir },
  envName: null,
  only: null,
  logDir: dir,
  execPath: process.execPath,
  cpus: 1,
}) as [AppSpec, AppSpec];

test('a spec with probes and depends_on survives its JSON round trip', () => {
  const back = checkSpec(JSON.parse(JSON.stringify(api)), reference);
  assert.notEqual(typeof back, 'string', String(back));
  assert.deepEqual(back, api);
  assert.equal((back as AppSpec).readiness_probe?.success_threshold, 2);
  assert.equal((back as AppSpec).depends_on[0]?.condition, 'process_log_ready');
});

test('a spec an older tend saved without these fields gets no probes and no dependencies', () => {
  const older: Record<string, unknown> = JSON.parse(JSON.stringify(api));
  for (const key of [
    'ready_log_line',
    'on_ready_timeout',
    'listen_timeout_set',
    'watchdog_ms',
    'startup_probe',
    'readiness_probe',
    'liveness_probe',
    'probe_via',
    'max_surge',
    'min_ready_ms',
    'depends_on',
  ])
    delete older[key];
  const back = checkSpec(older, reference) as AppSpec;
  assert.equal(typeof back, 'object');
  assert.deepEqual(
    [back.startup_probe, back.readiness_probe, back.liveness_probe, back.depends_on, back.watchdog_ms],
    [null, null, null, [], 0],
  );
  assert.equal(back.on_ready_timeout, 'fail');
  assert.equal(back.max_surge, 1);
});

test('a depends_on of the wrong kind rejects the app', () => {
  const damaged = { ...JSON.parse(JSON.stringify(api)), depends_on: 'db' };
  assert.match(
    String(checkSpec(damaged, reference)),
    /app api: field depends_on is a string, expected an array/,
  );
});
