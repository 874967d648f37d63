// Issue 13's readiness and probe fields through normalizeApps: defaults, accepted forms (seconds, durations,
// Kubernetes' camelCase), and each bad input of the issue as one line naming the app and the field path.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { readyLogMatcher } from '../../../src/config/ready-log-line.js';
import type { ProbeSpec } from '../../../src/config/spec.js';
import { configIssues, inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
  tmp.write('probes/check.sh', '');
});
after(() => tmp.remove());

const one = (app: Record<string, unknown>) =>
  normalizeApps(inputFor(tmp.dir, [{ name: 'api', script: 'app.js', ...app }]))[0]!;
/** The lines of the error for one app `api` with these fields. */
const problems = (app: Record<string, unknown>) =>
  configIssues(() => normalizeApps(inputFor(tmp.dir, [{ name: 'api', script: 'app.js', ...app }])));
const http = (port: unknown = 3000) => ({ http_get: { port } });
/** The port of an HTTP or TCP probe's handler. */
const portOf = (p: ProbeSpec | null) => {
  const h = p?.handler;
  return h && 'http_get' in h ? h.http_get.port : h && 'tcp_socket' in h ? h.tcp_socket.port : null;
};

describe('readiness fields', () => {
  it('defaults: no readiness source, fail on timeout, no watchdog, no probes, surge 1, no dependencies', () => {
    const s = one({});
    assert.equal(s.ready_log_line, null);
    assert.equal(s.on_ready_timeout, 'fail');
    assert.equal(s.listen_timeout, 3000);
    assert.equal(s.listen_timeout_set, false);
    assert.equal(s.watchdog_ms, 0);
    assert.deepEqual([s.startup_probe, s.readiness_probe, s.liveness_probe], [null, null, null]);
    assert.equal(s.probe_via, null);
    assert.equal(s.max_surge, 1);
    assert.equal(s.min_ready_ms, 0);
    assert.deepEqual(s.depends_on, []);
  });

  it('listen_timeout_set says whether listen_timeout was written', () => {
    assert.equal(one({ listen_timeout: 3000 }).listen_timeout_set, true);
    assert.equal(one({ listen_timeout: '10s' }).listen_timeout, 10_000);
  });

  it('watchdog_sec and min_ready_seconds: a bare number is seconds, a duration string is accepted', () => {
    assert.equal(one({ watchdog_sec: 30 }).watchdog_ms, 30_000);
    assert.equal(one({ watchdog_sec: '30' }).watchdog_ms, 30_000);
    assert.equal(one({ watchdog_sec: 0.5 }).watchdog_ms, 500);
    assert.equal(one({ watchdog_sec: '500ms' }).watchdog_ms, 500);
    assert.equal(one({ watchdog_sec: '2m' }).watchdog_ms, 120_000);
    assert.equal(one({ min_ready_seconds: 5 }).min_ready_ms, 5000);
    assert.equal(one({ min_ready_seconds: '1.5s' }).min_ready_ms, 1500);
  });

  it('on_ready_timeout, max_surge, ready_log_line', () => {
    assert.equal(one({ on_ready_timeout: 'assume_ready' }).on_ready_timeout, 'assume_ready');
    assert.equal(one({ max_surge: 2 }).max_surge, 2);
    assert.equal(one({ max_surge: '3' }).max_surge, 3);
    assert.equal(one({ ready_log_line: 'listening on' }).ready_log_line, 'listening on');
    assert.equal(one({ ready_log_line: '/ready in \\d+ ms/i' }).ready_log_line, '/ready in \\d+ ms/i');
  });

  it('ready_log_line: a substring, or /regex/flags, matched the way config read it', () => {
    assert.equal(readyLogMatcher('listening on')('server listening on 3000'), true);
    assert.equal(readyLogMatcher('listening on')('Listening On 3000'), false);
    const re = readyLogMatcher('/ready in \\d+ ms/i');
    assert.equal(re('READY in 12 ms'), true);
    assert.equal(re('ready in many ms'), false);
    // A regex is tested afresh on each line (no g/y state carried from one line to the next).
    assert.equal(re('ready in 3 ms'), true);
  });

  it('bad readiness values: one line each, naming the app and the field', () => {
    assert.deepEqual(
      problems({
        ready_log_line: '/(unclosed/',
        on_ready_timeout: 'maybe',
        watchdog_sec: -1,
        max_surge: 0,
        min_ready_seconds: '5 seconds',
        probe_via: 'some_worker',
      }),
      [
        'apps[0] (api).ready_log_line: expected a valid regular expression: /(unclosed/: Unterminated group, got "/(unclosed/"',
        'apps[0] (api).on_ready_timeout: expected "fail" or "assume_ready", got "maybe"',
        'apps[0] (api).watchdog_sec: expected seconds (a number, fractions allowed), or a duration such as "500ms" or "10s", got -1',
        'apps[0] (api).probe_via: expected "any_worker", got "some_worker"',
        'apps[0] (api).max_surge: expected a positive integer, got 0',
        'apps[0] (api).min_ready_seconds: expected seconds (a number, fractions allowed), or a duration such as "500ms" or "10s", got "5 seconds"',
      ],
    );
    assert.deepEqual(problems({ ready_log_line: '/x/g' }), [
      'apps[0] (api).ready_log_line: expected /regex/ flags among i, m, s, u and v (g and y keep state), got "/x/g"',
    ]);
    assert.deepEqual(problems({ ready_log_line: '' }), [
      'apps[0] (api).ready_log_line: expected text to find in a line of output, or "/regex/flags", got ""',
    ]);
  });
});

describe('probes', () => {
  it('http_get with its defaults, and the Kubernetes timing defaults', () => {
    assert.deepEqual(one({ readiness_probe: http() }).readiness_probe, {
      handler: {
        http_get: { host: '127.0.0.1', port: 3000, path: '/', scheme: 'http', headers: {} },
      },
      initial_delay_ms: 0,
      period_ms: 10_000,
      timeout_ms: 1000,
      success_threshold: 1,
      failure_threshold: 3,
    });
  });

  it('timing: bare numbers are seconds (fractions too), durations accepted', () => {
    const p = one({
      liveness_probe: {
        tcp_socket: { port: '4000' },
        initial_delay_seconds: 2,
        period_seconds: 0.5,
        timeout_seconds: '250ms',
        failure_threshold: '5',
      },
    }).liveness_probe!;
    assert.deepEqual(p.handler, { tcp_socket: { host: '127.0.0.1', port: 4000 } });
    assert.deepEqual(
      [p.initial_delay_ms, p.period_ms, p.timeout_ms, p.success_threshold, p.failure_threshold],
      [2000, 500, 250, 1, 5],
    );
  });

  it("Kubernetes' camelCase spellings are accepted", () => {
    const p = one({
      port: 3000,
      readiness_probe: {
        httpGet: { port: '$PORT', path: '/readyz', scheme: 'HTTPS', headers: { 'X-Probe': 1 } },
        initialDelaySeconds: 1,
        periodSeconds: 2,
        timeoutSeconds: 3,
        successThreshold: 2,
        failureThreshold: 4,
      },
      startup_probe: { tcpSocket: { port: 3000, host: 'localhost' } },
    });
    assert.deepEqual(p.readiness_probe, {
      handler: {
        http_get: {
          host: '127.0.0.1',
          port: '$PORT',
          path: '/readyz',
          scheme: 'https',
          headers: { 'X-Probe': '1' },
        },
      },
      initial_delay_ms: 1000,
      period_ms: 2000,
      timeout_ms: 3000,
      success_threshold: 2,
      failure_threshold: 4,
    });
    assert.deepEqual(p.startup_probe?.handler, { tcp_socket: { host: 'localhost', port: 3000 } });
  });

  it("exec: a string or a list; working_dir resolves against the app's cwd, none: null", () => {
    const list = one({ liveness_probe: { exec: { command: ['sh', '-c', 'true'], env: { A: 1 } } } });
    assert.deepEqual(list.liveness_probe?.handler, {
      exec: { command: ['sh', '-c', 'true'], working_dir: null, env: { A: '1' } },
    });
    const str = one({ readiness_probe: { exec: { command: './check.sh', working_dir: 'probes' } } });
    assert.deepEqual(str.readiness_probe?.handler, {
      exec: { command: './check.sh', working_dir: path.join(tmp.dir, 'probes'), env: {} },
    });
  });

  it('$PORT and $PORT+instance are kept, and need a numeric PORT (port or env.PORT)', () => {
    assert.equal(portOf(one({ port: 3000, readiness_probe: http('$PORT') }).readiness_probe), '$PORT');
    const env = one({
      env: { PORT: '8080' },
      instances: 2,
      exec_mode: 'fork',
      liveness_probe: http('$PORT+instance'),
    });
    assert.equal(portOf(env.liveness_probe), '$PORT+instance');
    assert.deepEqual(problems({ readiness_probe: http('$PORT') }), [
      'apps[0] (api).readiness_probe.http_get.port: "$PORT" expands to the app\'s PORT, and the app has none: set "port" or env.PORT',
    ]);
    assert.deepEqual(
      problems({ env: { PORT: 'eighty' }, readiness_probe: { tcp_socket: { port: '$PORT' } } }),
      [
        'apps[0] (api).readiness_probe.tcp_socket.port: "$PORT" expands to the app\'s PORT, and it is "eighty", not a port number',
      ],
    );
    assert.deepEqual(
      problems({ port: 65535, instances: 2, exec_mode: 'fork', readiness_probe: http('$PORT+instance') }),
      [
        'apps[0] (api).readiness_probe.http_get.port: "$PORT+instance" expands to 65536 for the last instance: more than 65535',
      ],
    );
  });

  it('two handlers in one probe', () => {
    const [line] = problems({ readiness_probe: { http_get: { port: 3000 }, exec: { command: 'true' } } });
    assert.match(
      line ?? '',
      /^apps\[0\] \(api\)\.readiness_probe: expected exactly one handler \(http_get, tcp_socket or exec\), but this probe has 2: http_get and exec, got \{/,
    );
  });

  it('no handler', () => {
    assert.deepEqual(problems({ liveness_probe: { period_seconds: 5 } }), [
      'apps[0] (api).liveness_probe: expected one handler (http_get, tcp_socket or exec), got {"period_seconds":5}',
    ]);
    assert.deepEqual(problems({ startup_probe: 'curl localhost' }), [
      'apps[0] (api).startup_probe: expected a probe: an object with one handler (http_get, tcp_socket or exec) and its timing, got "curl localhost"',
    ]);
  });

  it('negative or zero thresholds, period and timeout; a negative initial delay', () => {
    assert.deepEqual(
      problems({
        readiness_probe: {
          ...http(),
          initial_delay_seconds: -1,
          period_seconds: 0,
          timeout_seconds: -2,
          success_threshold: 0,
          failure_threshold: -3,
        },
      }),
      [
        'apps[0] (api).readiness_probe.initial_delay_seconds: expected seconds (a number, fractions allowed), or a duration such as "500ms" or "10s", got -1',
        'apps[0] (api).readiness_probe.period_seconds: expected a positive number of seconds, or a duration such as "500ms" or "10s", got 0',
        'apps[0] (api).readiness_probe.timeout_seconds: expected a positive number of seconds, or a duration such as "500ms" or "10s", got -2',
        'apps[0] (api).readiness_probe.success_threshold: expected a positive integer, got 0',
        'apps[0] (api).readiness_probe.failure_threshold: expected a positive integer, got -3',
      ],
    );
    assert.deepEqual(problems({ liveness_probe: { ...http(), failure_threshold: 1.5 } }), [
      'apps[0] (api).liveness_probe.failure_threshold: expected a positive integer, got 1.5',
    ]);
  });

  it('success_threshold > 1 on a liveness or startup probe (allowed on readiness)', () => {
    const rule =
      'expected 1 on a startup or liveness probe (as in Kubernetes: only a readiness probe may need several successes), got 2';
    assert.deepEqual(problems({ liveness_probe: { ...http(), success_threshold: 2 } }), [
      `apps[0] (api).liveness_probe.success_threshold: ${rule}`,
    ]);
    assert.deepEqual(problems({ startup_probe: { ...http(), successThreshold: 2 } }), [
      `apps[0] (api).startup_probe.successThreshold: ${rule}`,
    ]);
    assert.equal(
      one({ readiness_probe: { ...http(), success_threshold: 2 } }).readiness_probe?.success_threshold,
      2,
    );
  });

  it('a port that is neither a number nor $PORT…', () => {
    const expected = 'expected a port number (1 to 65535), "$PORT" or "$PORT+instance"';
    assert.deepEqual(problems({ readiness_probe: http('$HOST_PORT') }), [
      `apps[0] (api).readiness_probe.http_get.port: ${expected}, got "$HOST_PORT"`,
    ]);
    assert.deepEqual(problems({ readiness_probe: http(70000) }), [
      `apps[0] (api).readiness_probe.http_get.port: ${expected}, got 70000`,
    ]);
    assert.deepEqual(problems({ readiness_probe: { tcp_socket: { host: 'db' } } }), [
      `apps[0] (api).readiness_probe.tcp_socket.port: ${expected}, got nothing`,
    ]);
  });

  it('unknown keys inside a probe are errors, with a "did you mean"', () => {
    assert.deepEqual(
      problems({
        readiness_probe: { http_get: { port: 3000, pth: '/readyz' }, perod_seconds: 5, grpc: { port: 1 } },
      }),
      [
        'apps[0] (api).readiness_probe.perod_seconds: unknown key of a probe (did you mean "period_seconds"?), got 5',
        'apps[0] (api).readiness_probe.grpc: unknown key of a probe (known: http_get, tcp_socket, exec, initial_delay_seconds, period_seconds, timeout_seconds, success_threshold, failure_threshold), got {"port":1}',
        'apps[0] (api).readiness_probe.http_get.pth: unknown key of http_get (did you mean "path"?), got "/readyz"',
      ],
    );
  });

  it('a handler field of the wrong type names its path', () => {
    assert.deepEqual(
      problems({
        liveness_probe: { http_get: { port: 3000, path: 'healthz', scheme: 'ftp' } },
        readiness_probe: { exec: { command: [] } },
        startup_probe: { httpGet: { port: 3000 }, http_get: { port: 3000 } },
      }),
      [
        'apps[0] (api).startup_probe.http_get: expected "httpGet" or "http_get", not both, got {"port":3000}',
        'apps[0] (api).readiness_probe.exec.command: expected a command: a string (run by /bin/sh -c) or a list (the program and its arguments), got []',
        'apps[0] (api).liveness_probe.http_get.path: expected a path starting with "/", got "healthz"',
        'apps[0] (api).liveness_probe.http_get.scheme: expected "http" or "https", got "ftp"',
      ],
    );
  });

  it('a handler that is not an object says what it holds', () => {
    assert.deepEqual(problems({ readiness_probe: { tcp_socket: 5432 } }), [
      'apps[0] (api).readiness_probe.tcp_socket: expected an object { port, host }, got 5432',
    ]);
  });

  it("exec's working_dir must exist", () => {
    assert.deepEqual(problems({ liveness_probe: { exec: { command: 'true', working_dir: 'nope' } } }), [
      `apps[0] (api).liveness_probe.exec.working_dir: expected an existing directory (relative to ${tmp.dir}), got "${path.join(tmp.dir, 'nope')}"`,
    ]);
  });
});

describe('cluster mode and the shared port', () => {
  const cluster = { instances: 2, exec_mode: 'cluster', port: 3000 };
  const why =
    'so this probe reaches any worker, not the instance it is for; use "$PORT+instance" (each worker also listening on PORT + its instance number), an exec probe, wait_ready, or set probe_via: "any_worker" to accept it';

  it('an HTTP or TCP probe on a fixed port or $PORT is refused, explaining why', () => {
    assert.deepEqual(problems({ ...cluster, readiness_probe: http(3000) }), [
      `apps[0] (api).readiness_probe.http_get.port: in cluster mode the workers share port 3000, ${why}`,
    ]);
    assert.deepEqual(problems({ ...cluster, liveness_probe: { tcpSocket: { port: '$PORT' } } }), [
      `apps[0] (api).liveness_probe.tcpSocket.port: in cluster mode the workers share port "$PORT" (3000), ${why}`,
    ]);
  });

  it('is accepted per instance, by exec, or with probe_via: "any_worker"', () => {
    assert.equal(one({ ...cluster, readiness_probe: http('$PORT+instance') }).exec_mode, 'cluster');
    assert.equal(one({ ...cluster, readiness_probe: { exec: { command: 'true' } } }).notes.length, 0);
    const opted = one({ ...cluster, readiness_probe: http(3000), probe_via: 'any_worker' });
    assert.equal(opted.probe_via, 'any_worker');
    assert.deepEqual(opted.notes, []);
  });

  it('probe_via with nothing to apply to is a note, and a fork app is not concerned', () => {
    assert.deepEqual(one({ readiness_probe: http(3000), probe_via: 'any_worker' }).notes, [
      "apps[0] (api): probe_via has no effect: no HTTP or TCP probe on a cluster's shared port (TEND_ERR_CONFIG_IGNORED)",
    ]);
    assert.equal(one({ instances: 2, exec_mode: 'fork', readiness_probe: http(3000) }).notes.length, 0);
  });
});
