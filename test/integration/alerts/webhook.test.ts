// Webhooks against a real receiver on 127.0.0.1, driven by an in-process supervisor with scripted children
// and a fake clock: the crash body (with the last stderr lines), the HMAC signature, Slack and Discord
// shapes, retries with their backoff, the per-app rate limit, a hanging receiver that never holds up a
// restart, the events filter, `errored` and `recovered`. Waits are on requests and delivery reports.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, describe, test } from 'node:test';
import type { WebhookHook } from '../../../src/config/spec.js';
import { openReceiver, type Receiver, type Rig, rig, STDERR } from './support.js';

const hook = (url: string, over: Partial<WebhookHook> = {}): WebhookHook => ({
  url,
  events: ['crash', 'errored', 'unhealthy', 'reload_failed'],
  format: 'json',
  secret: null,
  timeout_ms: 5000,
  max_per_minute: 10,
  ...over,
});

let open: (Rig | Receiver)[] = [];
afterEach(async () => {
  for (const x of open) await x.close();
  open = [];
});
async function setup(answer?: Parameters<typeof openReceiver>[0]) {
  const receiver = await openReceiver(answer);
  const r = rig();
  open.push(r, receiver);
  return { r, receiver };
}

describe('webhooks', () => {
  test('a crash POSTs the alert with the last stderr lines; a requested restart or stop posts nothing', async () => {
    const { r, receiver } = await setup();
    await r.start({ name: 'api', namespace: 'shop', notify: { webhook: [hook(receiver.url)], exec: [] } });
    assert.ok(r.alerts.enabled);
    // Asked for: no alert.
    const restarting = r.supervisor.restart(r.supervisor.resolve(['api']), true);
    r.spawner.last.exit(null, 'SIGINT');
    await restarting;
    r.spawner.last.exit(3);
    const got = await receiver.nth(0);
    const b = got.json;
    assert.equal(b.event, 'crash');
    assert.equal(b.app, 'api');
    assert.equal(b.namespace, 'shop');
    assert.equal(b.instance_id, 0);
    assert.equal(b.exit_code, 3);
    assert.equal(b.signal, null);
    assert.match(String(b.reason), /^exited with code 3 after \d+ ms$/);
    assert.deepEqual(b.stderr, STDERR);
    assert.equal(b.host, 'test-host');
    assert.equal(typeof b.tend_version, 'string');
    assert.equal(b.at, new Date(r.clock.now()).toISOString());
    assert.equal(b.suppressed, 0);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['x-tend-event'], 'crash');
    assert.equal(got.headers['x-tend-delivery'], b.delivery);
    assert.equal(got.headers['x-tend-signature'], undefined, 'no secret, no signature');
    await r.until((x) => x.outcome === 'sent', 'sent');
    // A stop: still nothing more.
    const stopping = r.supervisor.stop(r.supervisor.resolve(['api']), true);
    r.clock.advance(0);
    r.spawner.last.exit(null, 'SIGINT');
    await stopping;
    await r.alerts.idle();
    assert.equal(receiver.requests.length, 1);
    assert.deepEqual(r.alerts.stats(), [{ app: 'api', kind: 'webhook', sent: 1, failed: 0, suppressed: 0 }]);
    assert.ok(
      r.log.some((l) =>
        /alerts: webhook http:\/\/127\.0\.0\.1:\d+\/\*+ api\[0\] crash: delivered \(HTTP 200\)/.test(l),
      ),
    );
  });

  test('with a secret, X-Tend-Signature is the HMAC-SHA256 of the raw body; the timestamp header is `at`', async () => {
    const { r, receiver } = await setup();
    await r.start({ name: 'api', notify: { webhook: [hook(receiver.url, { secret: 's3cret' })], exec: [] } });
    r.spawner.last.exit(1);
    const got = await receiver.nth(0);
    const expected = `sha256=${createHmac('sha256', 's3cret').update(got.raw).digest('hex')}`;
    assert.equal(got.headers['x-tend-signature'], expected);
    const wrong = `sha256=${createHmac('sha256', 'other').update(got.raw).digest('hex')}`;
    assert.notEqual(got.headers['x-tend-signature'], wrong);
    assert.equal(Number(got.headers['x-tend-timestamp']), Math.floor(Date.parse(String(got.json.at)) / 1000));
  });

  test('format slack posts { text }, discord { content } without mentions', async () => {
    const { r, receiver } = await setup();
    const notify = {
      webhook: [hook(receiver.url, { format: 'slack' }), hook(receiver.url, { format: 'discord' })],
      exec: [],
    };
    await r.start({ name: 'web', notify });
    r.spawner.last.exit(null, 'SIGSEGV');
    const bodies = [(await receiver.nth(0)).json, (await receiver.nth(1)).json];
    const slack = bodies.find((b) => 'text' in b);
    const discord = bodies.find((b) => 'content' in b);
    assert.ok(slack && discord, JSON.stringify(bodies));
    assert.deepEqual(Object.keys(slack), ['text']);
    assert.match(
      String(slack.text),
      /^tend: web\[0\] crash \(SIGSEGV\) on test-host: killed by SIGSEGV after/,
    );
    assert.match(String(slack.text), /```\nconnecting to db\nError: ECONNREFUSED 127\.0\.0\.1:5432\n```$/);
    assert.deepEqual(Object.keys(discord).sort(), ['allowed_mentions', 'content']);
    assert.deepEqual(discord.allowed_mentions, { parse: [] });
    assert.ok(String(discord.content).length <= 2000);
    assert.match(String(discord.content), /ECONNREFUSED/);
  });

  test('a 500 is retried 1 s then 2 s later (the injected clock), and the third try delivers', async () => {
    const { r, receiver } = await setup((n) => (n < 2 ? 500 : 204));
    await r.start({ name: 'api', notify: { webhook: [hook(receiver.url)], exec: [] } });
    r.spawner.last.exit(1);
    r.clock.advance(0); // the restart (delay 0): only the backoff's timer is left
    await r.until((x) => x.outcome === 'retrying' && x.attempt === 1, 'first retry');
    assert.equal(r.clock.nextIn(), 1000, 'the first backoff is 1 s');
    r.clock.advance(999);
    assert.equal(receiver.requests.length, 1, 'not before the backoff');
    r.clock.advance(1);
    await receiver.nth(1);
    await r.until((x) => x.outcome === 'retrying' && x.attempt === 2, 'second retry');
    assert.equal(r.clock.nextIn(), 2000, 'the second backoff is 2 s');
    r.clock.advance(2000);
    const sent = await r.until((x) => x.outcome === 'sent', 'delivered');
    assert.equal(sent.attempt, 3);
    assert.equal(sent.detail, 'HTTP 204');
    const [a, b, c] = receiver.requests;
    assert.equal(a?.raw, c?.raw, 'every try sends the same body');
    assert.equal(b?.json.delivery, c?.json.delivery);
    assert.deepEqual(r.alerts.stats(), [{ app: 'api', kind: 'webhook', sent: 1, failed: 0, suppressed: 0 }]);
  });

  test('a 4xx is not retried: failed, logged with its code', async () => {
    const { r, receiver } = await setup(() => 404);
    await r.start({ name: 'api', notify: { webhook: [hook(receiver.url)], exec: [] } });
    r.spawner.last.exit(1);
    const failed = await r.until((x) => x.outcome === 'failed', 'failed');
    assert.equal(failed.attempt, 1);
    assert.equal(receiver.requests.length, 1);
    assert.ok(
      r.log.some((l) =>
        /notify: webhook http:\/\/127\.0\.0\.1:\d+\/\*+ for api\[0\] \(crash\) failed: HTTP 404 \(TEND_ERR_NOTIFY_FAILED\)/.test(
          l,
        ),
      ),
      r.log.join('\n'),
    );
    assert.deepEqual(r.alerts.stats(), [{ app: 'api', kind: 'webhook', sent: 0, failed: 1, suppressed: 0 }]);
  });

  test('a hanging receiver does not hold up the restart; each try times out, then it is given up', async () => {
    const { r, receiver } = await setup(() => 'hang');
    await r.start({ name: 'api', notify: { webhook: [hook(receiver.url, { timeout_ms: 300 })], exec: [] } });
    const first = r.spawner.last;
    first.exit(1);
    await receiver.nth(0);
    // The delivery hangs; supervision goes on: the restart happens and the new process is online.
    const [unit] = r.supervisor.resolve(['api']);
    assert.equal(unit?.status, 'waiting-restart');
    r.clock.advance(0);
    assert.notEqual(r.spawner.last, first, 'restarted while the webhook hangs');
    assert.equal(unit?.status, 'online');
    for (let attempt = 1; attempt <= 2; attempt++) {
      r.clock.advance(300);
      await r.until((x) => x.outcome === 'retrying' && x.attempt === attempt, `retry ${attempt}`);
      assert.equal(r.reports.at(-1)?.detail, 'timeout after 300 ms');
      r.clock.advance(1000 * 2 ** (attempt - 1));
      await receiver.nth(attempt);
    }
    r.clock.advance(300);
    const failed = await r.until((x) => x.outcome === 'failed', 'given up');
    assert.equal(failed.attempt, 3);
    assert.ok(r.log.some((l) => /timeout after 300 ms after 3 tries \(TEND_ERR_NOTIFY_FAILED\)/.test(l)));
  });

  test('at most max_per_minute per app: the rest are counted, and the next delivery says how many', async () => {
    const { r, receiver } = await setup();
    await r.start({
      name: 'api',
      notify: { webhook: [hook(receiver.url, { max_per_minute: 2 })], exec: [] },
    });
    for (let i = 0; i < 4; i++) {
      r.spawner.last.exit(1);
      r.clock.advance(0);
    }
    await r.until((x) => x.outcome === 'sent', 'first');
    await receiver.nth(1);
    await r.alerts.idle();
    assert.equal(receiver.requests.length, 2);
    assert.equal(r.reports.filter((x) => x.outcome === 'suppressed').length, 2);
    assert.equal(r.log.filter((l) => l.includes('more than 2 alerts in a minute')).length, 1, 'logged once');
    r.clock.advance(60_000);
    r.spawner.last.exit(1);
    const third = await receiver.nth(2);
    assert.equal(third.json.suppressed, 2);
    await r.alerts.idle();
    assert.deepEqual(r.alerts.stats(), [{ app: 'api', kind: 'webhook', sent: 3, failed: 0, suppressed: 2 }]);
  });

  test('events filter: a hook for restart only gets the restart, with its reason', async () => {
    const { r, receiver } = await setup();
    await r.start({
      name: 'api',
      notify: { webhook: [hook(receiver.url, { events: ['restart'] })], exec: [] },
    });
    r.spawner.last.exit(2);
    const got = await receiver.nth(0);
    assert.equal(got.json.event, 'restart');
    assert.match(
      String(got.json.reason),
      /^exited with code 2 after \d+ ms \(unstable 1\/16\); restarting in 0 ms$/,
    );
    assert.equal(got.json.exit_code, 2);
    await r.alerts.idle();
    assert.equal(receiver.requests.length, 1);
  });

  test('errored after max_restarts, then recovered once started again and ready', async () => {
    const { r, receiver } = await setup();
    const events = ['crash', 'errored', 'recovered'] as const;
    await r.start({
      name: 'api',
      max_restarts: 0,
      notify: { webhook: [hook(receiver.url, { events: [...events] })], exec: [] },
    });
    r.spawner.last.exit(1);
    const crash = await receiver.nth(0);
    const errored = await receiver.nth(1);
    assert.equal(crash.json.event, 'crash');
    assert.equal(errored.json.event, 'errored');
    assert.match(String(errored.json.reason), /1 unstable exits in a row \(max_restarts 0/);
    assert.equal(errored.json.exit_code, 1);
    await r.supervisor.start(r.supervisor.resolve(['api']), false);
    const recovered = await receiver.nth(2);
    assert.equal(recovered.json.event, 'recovered');
    assert.equal(recovered.json.reason, 'online and ready again (after errored)');
    assert.deepEqual(recovered.json.stderr, []);
  });

  test('a completion is no crash: autorestart off and code 0, or a stop_exit_codes exit', async () => {
    const { r, receiver } = await setup();
    const notify = { webhook: [hook(receiver.url, { events: ['crash', 'errored', 'restart'] })], exec: [] };
    await r.start({ name: 'job', autorestart: false, notify });
    r.spawner.last.exit(0);
    await r.start({ name: 'worker', stop_exit_codes: [7], notify });
    r.spawner.last.exit(7);
    await r.alerts.idle();
    assert.equal(receiver.requests.length, 0);
    // autorestart off and a non-zero code is a crash.
    await r.supervisor.start(r.supervisor.resolve(['job']), false);
    r.spawner.last.exit(1);
    assert.equal((await receiver.nth(0)).json.event, 'crash');
  });

  test('the watchdog is unhealthy (once), the restart that follows is no crash, then recovered', async () => {
    const { r, receiver } = await setup();
    await r.start({
      name: 'api',
      watchdog_ms: 1000,
      notify: { webhook: [hook(receiver.url, { events: ['crash', 'unhealthy', 'recovered'] })], exec: [] },
    });
    const first = r.spawner.last;
    r.clock.advance(1000);
    const unhealthy = await receiver.nth(0);
    assert.equal(unhealthy.json.event, 'unhealthy');
    assert.match(String(unhealthy.json.reason), /^watchdog: no WATCHDOG=1 within watchdog_sec \(1000 ms\)$/);
    first.exit(null, 'SIGINT');
    r.clock.advance(0);
    assert.notEqual(r.spawner.last, first);
    const recovered = await receiver.nth(1);
    assert.equal(recovered.json.event, 'recovered');
    assert.equal(recovered.json.reason, 'online and ready again (after unhealthy)');
    await r.alerts.idle();
    assert.equal(receiver.requests.length, 2);
  });

  test('the settings file’s notify is every app’s; an app without notify of its own is covered', async () => {
    const receiver = await openReceiver();
    const r = rig({ webhook: [hook(receiver.url)], exec: [] });
    open.push(r, receiver);
    assert.ok(r.alerts.enabled);
    await r.start({ name: 'plain' });
    r.spawner.last.exit(1);
    assert.equal((await receiver.nth(0)).json.app, 'plain');
  });

  test('with no notify anywhere nothing listens', async () => {
    const r = rig();
    open.push(r);
    await r.start({ name: 'plain' });
    assert.equal(r.alerts.enabled, false);
    r.spawner.last.exit(1);
    assert.deepEqual(r.reports, []);
    assert.ok(!r.log.some((l) => l.startsWith('alerts:')));
  });
});
