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
    const service = await serviceOf([{ name: '-lead', wait_ready: true }], '-lead');
    const argv: string[] = service.healthcheck.test;
    assert.deepEqual(argv, ['CMD', 'tend-runtime', 'probe', '--ready', '--app=-lead']);
    // A health listener that is ready for app "-lead" only: the probe must ask for that app.
    const asked: string[] = [];
    const server = createServer((req, res) => {
      const app = new URL(req.url ?? '/', 'http://x').searchParams.get('app') ?? '';
      asked.push(app);
      res.writeHead(app === '-lead' ? 200 : 503).end(app === '-lead' ? '[+]-lead ok\n' : 'no\n');
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
