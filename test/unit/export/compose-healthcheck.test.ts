// compose's healthcheck as Docker runs it: `tend-runtime probe --ready --app=<name>` (one word: the audit's
// app `-lead` was read as an option after a separate --app, and the service never became healthy), run here
// for real against a health listener, and a start_period that covers the time tend gives the app to become
// ready (startup/readiness.ts's budget, the one systemd's TimeoutStartSec= uses).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { renderExport } from '../../../src/export/render.js';
import { ROOT } from '../../helpers/daemon.js';
import { appsFixtures } from './support.js';

const { inputFor } = appsFixtures('tend-export-health-');

async function serviceOf(apps: Record<string, unknown>[], name: string) {
  const text = renderExport('compose', await inputFor(apps)).files[0]?.content ?? '';
  return parse(text).services[name];
}

describe('healthcheck.test', () => {
  test('--app=<name> is one word, and tend-runtime probe reads an app named -lead from it', async () => {
    // The service is `lead` (an image name component starts with a letter or digit); the app is still -lead.
    const service = await serviceOf([{ name: '-lead', wait_ready: true }], 'lead');
    const argv: string[] = service.healthcheck.test;
    assert.deepEqual(argv, ['CMD', 'tend-runtime', 'probe', '--ready', '--app=-lead']);
    // A health listener that is ready for app "-lead" only: the probe must ask for that app.
    const asked: string[] = [];
    const server = createServer((req, res) => {
      const app = new URL(req.url ?? '/', 'http://x').searchParams.get('app') ?? '';
      asked.push(app);
      res
        .writeHead(app === '-lead' ? 200 : 503)
        .end(app === '-lead' ? '[+]-lead ok\nreadyz check passed\n' : 'no\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const [, ...args] = argv.slice(1);
      const r = await promisify(execFile)(
        process.execPath,
        [join(ROOT, 'bin', 'tend-runtime.js'), ...args, '--health-listen', `127.0.0.1:${port}`],
        { encoding: 'utf8' },
      );
      assert.equal(r.stderr, '');
      assert.deepEqual(asked, ['-lead']);
    } finally {
      server.close();
    }
  });
});

describe('healthcheck.start_period: the start budget systemd uses too', () => {
  const timeoutStartSec = async (app: Record<string, unknown>) => {
    const unit = renderExport('systemd', await inputFor([{ name: 'x', ...app }])).files[0]?.content ?? '';
    return /^TimeoutStartSec=(\S+)$/m.exec(unit)?.[1];
  };
  const startPeriod = async (app: Record<string, unknown>) =>
    (await serviceOf([{ name: 'x', ...app }], 'x')).healthcheck.start_period as string;

  test('a readiness probe alone: its initial delay + period × failure threshold (the audit: 3s, unhealthy at ~33 s)', async () => {
    const app = {
      readiness_probe: {
        http_get: { port: 3000, path: '/' },
        initial_delay_seconds: 40,
        period_seconds: 10,
        failure_threshold: 3,
      },
    };
    // 40 + 10 × 3, and 5 s for Node and the runtime to start.
    assert.equal(await startPeriod(app), '75s');
    // tend waits without a deadline; systemd not (sixth audit: one probe that never passed held
    // multi-user.target forever): the same window, then the start fails and Restart= applies.
    assert.equal(await timeoutStartSec(app), '75');
  });

  test('listen_timeout, a startup probe: the same budget as TimeoutStartSec=', async () => {
    for (const app of [
      { wait_ready: true, listen_timeout: 8000 },
      { ready_log_line: 'up', listen_timeout: 60000 },
      { startup_probe: { tcp_socket: { port: 3000 }, period_seconds: 2, failure_threshold: 30 } },
      {
        readiness_probe: { tcp_socket: { port: 3000 }, initial_delay_seconds: 40 },
        listen_timeout: 20000,
      },
    ])
      assert.equal(await startPeriod(app), `${await timeoutStartSec(app)}s`, JSON.stringify(app));
  });
});

describe("the runtime's health listener beside an app on 9616", () => {
  test('the command and the healthcheck move it to the port the pod would use, with the same warning', async () => {
    const apps = [{ name: 'web', env: { PORT: 9616 }, wait_ready: true }];
    const compose = renderExport('compose', await inputFor(apps));
    const service = parse(compose.files[0]?.content ?? '').services.web;
    assert.deepEqual(service.command.slice(-2), ['--health-listen', '127.0.0.1:9617']);
    assert.deepEqual(service.healthcheck.test.slice(-2), ['--health-listen', '127.0.0.1:9617']);
    const warned = compose.warnings.find((w) => w.field === 'health listener');
    assert.match(
      warned?.message ?? '',
      /uses port 9616, tend-runtime's default: the container's health listener .* is on 9617/,
    );
    // The pod's listener: the same port (one rule).
    const k8s = renderExport('k8s', await inputFor(apps));
    assert.match(k8s.files[0]?.content ?? '', /- --health-listen\n\s+- 0\.0\.0\.0:9617\n/);
    // Any other port: the default listener, nothing added.
    const other = parse(
      renderExport('compose', await inputFor([{ name: 'web', env: { PORT: 3000 }, wait_ready: true }]))
        .files[0]?.content ?? '',
    ).services.web;
    assert.ok(!other.command.includes('--health-listen'));
    assert.deepEqual(other.healthcheck.test, ['CMD', 'tend-runtime', 'probe', '--ready', '--app=web']);
  });
});
