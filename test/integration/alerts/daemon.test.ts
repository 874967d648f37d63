// A real daemon (dist/) and a real app: an ecosystem `notify` webhook hears the crash with the app's own
// stderr line, signed; describe shows the hook with its secret and URL masked; daemon.log has the delivery.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { openReceiver, type Receiver, untilInFile } from './support.js';

let d: TestDaemon;
let receiver: Receiver;
before(async () => {
  d = await startTestDaemon();
  receiver = await openReceiver();
});
after(async () => {
  await d.stop();
  await receiver.close();
});

test('a crash of a real app reaches the webhook with its stderr, signed; describe masks the secret', async () => {
  const dir = join(d.home, 'app');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'dies.cjs'),
    "process.stderr.write('fatal: config missing\\n'); process.exit(5);\n",
  );
  const url = `${receiver.url}?token=tok123`;
  await d.client.call('app.start', {
    apps: [
      {
        name: 'dies',
        script: 'dies.cjs',
        autorestart: false,
        notify: { webhook: { url, secret: 'shh-secret' } },
      },
    ],
    base_dir: dir,
    env: {},
  });
  const got = await receiver.nth(0, 15_000);
  assert.equal(got.json.event, 'crash');
  assert.equal(got.json.app, 'dies');
  assert.equal(got.json.exit_code, 5);
  assert.ok((got.json.stderr as string[]).includes('fatal: config missing'), JSON.stringify(got.json));
  assert.equal(
    got.headers['x-tend-signature'],
    `sha256=${createHmac('sha256', 'shh-secret').update(got.raw).digest('hex')}`,
  );
  const { details } = await d.client.call('process.describe', { target: ['dies'] });
  const shown = JSON.stringify(details[0]?.config.notify);
  assert.ok(!shown.includes('shh-secret') && !shown.includes('tok123'), shown);
  assert.match(shown, /"url":"http:\/\/127\.0\.0\.1:\d+\/\*{8}"/);
  // The delivery line is written once the answer is in: wait for it (fs.watch; the timeout is a safety net).
  const log = await untilInFile(join(d.home, 'daemon.log'), /dies\[\d+\] crash: delivered \(HTTP 200\)/);
  assert.match(log, /alerts: notify hooks on \(app dies\)/);
  assert.match(
    log,
    /alerts: webhook http:\/\/127\.0\.0\.1:\d+\/\*{8} dies\[\d+\] crash: delivered \(HTTP 200\)/,
  );
  assert.ok(!log.includes('tok123') && !log.includes('shh-secret'));
});
