// The `notify` field: the short and long forms normalised with their defaults, every problem reported with
// its path, what was expected and a "did you mean"; the settings file's checkNotify; the JSON Schema agreeing
// with tend; and describe never showing a secret.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { ecosystemJsonSchema } from '../../src/config/json-schema.js';
import { normalizeApps } from '../../src/config/normalize.js';
import { checkNotify } from '../../src/config/notify-field.js';
import { redactNotify, redactUrl } from '../../src/config/notify-redact.js';
import type { AppSpec } from '../../src/config/spec.js';
import { isTendError } from '../../src/protocol/errors.js';
import { makeSpec } from '../helpers/spec.js';
import { setup } from '../helpers/supervisor.js';
import { inputFor, makeTmp, type TmpDir } from './config/helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
});
after(() => tmp.remove());

const specOf = (notify: unknown): AppSpec =>
  normalizeApps(inputFor(tmp.dir, [{ name: 'api', script: 'app.js', notify }]))[0] as AppSpec;
/** The issue lines of a rejected notify, as `path: message`. */
function problems(notify: unknown): string[] {
  try {
    specOf(notify);
  } catch (err) {
    assert.ok(isTendError(err) && err.is('TEND_ERR_CONFIG_INVALID'), String(err));
    return (err.data.issues ?? []).map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail(`${JSON.stringify(notify)} was accepted`);
}

describe('notify: accepted forms', () => {
  test('a URL and a command are the short forms; defaults are filled in', () => {
    const spec = specOf({ webhook: 'https://hooks.example.com/x', exec: 'notify-send tend' });
    assert.deepEqual(spec.notify, {
      webhook: [
        {
          url: 'https://hooks.example.com/x',
          events: ['crash', 'errored', 'unhealthy', 'reload_failed'],
          format: 'json',
          secret: null,
          timeout_ms: 5000,
          max_per_minute: 10,
        },
      ],
      exec: [
        {
          command: 'notify-send tend',
          events: ['crash', 'errored', 'unhealthy', 'reload_failed'],
          timeout_ms: 10_000,
          max_per_minute: 10,
        },
      ],
    });
  });

  test('the long forms and lists; events in any order, one name, or "all"; durations as text', () => {
    const spec = specOf({
      webhook: [
        {
          url: 'http://127.0.0.1:9000/h',
          events: ['recovered', 'crash'],
          format: 'slack',
          secret: 's',
          timeout: '2s',
          max_per_minute: '3',
        },
        'https://b.example/',
      ],
      exec: { command: './page.sh', events: 'all', timeout: 1500 },
    });
    assert.deepEqual(spec.notify?.webhook[0], {
      url: 'http://127.0.0.1:9000/h',
      events: ['crash', 'recovered'],
      format: 'slack',
      secret: 's',
      timeout_ms: 2000,
      max_per_minute: 3,
    });
    assert.equal(spec.notify?.webhook.length, 2);
    assert.deepEqual(spec.notify?.exec[0]?.events, [
      'crash',
      'restart',
      'errored',
      'unhealthy',
      'reload_failed',
      'recovered',
    ]);
    assert.equal(spec.notify?.exec[0]?.timeout_ms, 1500);
  });

  test('no notify, null or an empty object: no hooks', () => {
    assert.equal(specOf(undefined).notify, null);
    assert.equal(specOf(null).notify, null);
    assert.equal(specOf({}).notify, null);
  });
});

describe('notify: problems', () => {
  test('each problem names its path, what was expected, and a likely typo', () => {
    const lines = problems({
      webhok: 'https://x',
      webhook: [
        'ftp://x/y',
        {
          url: 'not a url',
          events: ['crash', 'crashed'],
          format: 'teams',
          secret: '',
          timeout: 0,
          max_per_minute: 0,
          retries: 3,
        },
      ],
      exec: [{ comand: 'x' }, 42],
    });
    const at = 'apps[0] (api).notify';
    assert.deepEqual(lines, [
      `${at}.webhok: unknown key of notify (did you mean "webhook"?), got "https://x"`,
      `${at}.webhook[0]: expected an http:// or https:// URL (ftp is not supported), got "ftp://x/y"`,
      `${at}.webhook[1].url: expected an http:// or https:// URL, got "not a url"`,
      `${at}.webhook[1].events[1]: expected an event name or a list of them: crash, restart, errored, unhealthy, reload_failed, recovered (or "all") (did you mean "crash"?), got "crashed"`,
      `${at}.webhook[1].format: expected "json", "slack" or "discord", got "teams"`,
      `${at}.webhook[1].secret: expected a secret (a non-empty string), got ""`,
      `${at}.webhook[1].timeout: expected a duration above 0: milliseconds, or a string such as "500ms" or "10s", got 0`,
      `${at}.webhook[1].max_per_minute: expected a positive integer, got 0`,
      `${at}.webhook[1].retries: unknown key of a webhook (known: url, events, format, secret, timeout, max_per_minute), got 3`,
      `${at}.exec[0].comand: unknown key of an exec hook (did you mean "command"?), got "x"`,
      `${at}.exec[0].command: expected a command (a string, run by /bin/sh -c), got nothing`,
      `${at}.exec[1]: expected a command, an object { command, events, timeout, max_per_minute }, or a list of them, got 42`,
    ]);
  });

  test('a webhook object needs its url; notify must be an object', () => {
    assert.deepEqual(problems({ webhook: { format: 'slack' } }), [
      'apps[0] (api).notify.webhook.url: expected an http:// or https:// URL, got nothing',
    ]);
    assert.deepEqual(problems('https://x'), [
      'apps[0] (api).notify: expected an object with "webhook" and/or "exec", got "https://x"',
    ]);
  });

  test('checkNotify (the settings file) reports under the path it is given', () => {
    assert.deepEqual(checkNotify({ exec: { command: 'x', events: 'boom' } }, 'notify'), {
      notify: null,
      issues: [
        {
          path: 'notify.exec.events',
          message:
            'expected an event name or a list of them: crash, restart, errored, unhealthy, reload_failed, recovered (or "all"), got "boom"',
        },
      ],
    });
    assert.deepEqual(checkNotify(undefined, 'notify'), { notify: null, issues: [] });
    assert.equal(checkNotify({ webhook: 'https://a/' }, 'notify').notify?.webhook[0]?.url, 'https://a/');
  });

  test('the JSON Schema accepts and rejects what tend does', () => {
    const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
    const validate = ajv.compile(ecosystemJsonSchema());
    const cases: unknown[] = [
      { webhook: 'https://a/' },
      { webhook: [{ url: 'http://a/', events: 'all', format: 'discord', timeout: '5s' }], exec: 'echo' },
      { exec: [{ command: 'x', events: ['crash'], max_per_minute: 2 }] },
      { webhook: 'ftp://a/' },
      { webhook: { url: 'https://a/', format: 'teams' } },
      { exec: { command: 'x', retries: 1 } },
      { webhok: 'https://a/' },
    ];
    for (const notify of cases) {
      const bySchema = validate({ apps: [{ script: 'app.js', notify }] }) === true;
      let byTend = true;
      try {
        specOf(notify);
      } catch {
        byTend = false;
      }
      assert.equal(bySchema, byTend, `${JSON.stringify(notify)}: schema ${bySchema}, tend ${byTend}`);
    }
  });
});

describe('notify: secrets are never shown', () => {
  test('a URL shows only its scheme, host and port', () => {
    assert.equal(
      redactUrl('https://hooks.slack.com/services/T0/B0/XYZSECRET'),
      'https://hooks.slack.com/********',
    );
    assert.equal(
      redactUrl('http://user:pw@127.0.0.1:9000/?token=abc'),
      'http://********@127.0.0.1:9000/********',
    );
    assert.equal(redactUrl('https://example.com/'), 'https://example.com/');
    assert.equal(redactUrl('nonsense'), '********');
  });

  test('describe shows the hooks with the secret and the URL masked', () => {
    const t = setup();
    const notify = {
      webhook: [
        {
          url: 'https://u:p@hooks.example.com/T/tok?key=k',
          events: ['crash' as const],
          format: 'json' as const,
          secret: 'hmac-secret',
          timeout_ms: 5000,
          max_per_minute: 10,
        },
      ],
      exec: [],
    };
    const units = t.supervisor.add(makeSpec({ name: 'api', notify }));
    const [d] = t.supervisor.describe(units);
    const shown = JSON.stringify(d?.config);
    for (const secret of ['hmac-secret', 'tok', 'key=k', 'u:p']) assert.ok(!shown.includes(secret), secret);
    assert.deepEqual(d?.config.notify, redactNotify(notify));
    assert.equal(units[0]?.spec.notify?.webhook[0]?.secret, 'hmac-secret', 'the spec itself keeps it');
  });
});
