// The settings file: found in the home (YAML or JSON, not both), strict keys, listen addresses, the
// loopback rule, two listeners on one port; every problem with its field path, expectation and fix.
import assert from 'node:assert/strict';
import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isTendError } from '../../../src/protocol/errors.js';
import { collide, formatAddress, isLoopback, parseListen } from '../../../src/settings/address.js';
import { loadSettings } from '../../../src/settings/load.js';
import { DEFAULT_SETTINGS } from '../../../src/settings/types.js';
import { validateSettings } from '../../../src/settings/validate.js';
import { readWebFile, removeWebFile, writeWebFile } from '../../../src/settings/web-file.js';
import { makeTmpHome } from '../../helpers/tmp-home.js';

const homes: { remove(): void }[] = [];
after(() => {
  for (const h of homes) h.remove();
});
function home(files: Record<string, string> = {}): string {
  const tmp = makeTmpHome();
  homes.push(tmp);
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(tmp.home, name), text, { mode: 0o600 });
  return tmp.home;
}

function problems(content: unknown): string[] {
  const r = validateSettings(content);
  assert.ok('issues' in r, 'expected problems');
  return r.issues.map((i) => `${i.path}: ${i.message}`);
}

function loadError(h: string): { message: string; code: string; data: Record<string, unknown> } {
  try {
    loadSettings(h);
  } catch (err) {
    assert.ok(isTendError(err), String(err));
    return { message: err.message, code: err.code, data: err.data };
  }
  return assert.fail('loaded without error');
}

test('listen addresses: IPv4, bracketed IPv6, localhost; names and bad ports are refused', () => {
  assert.deepEqual(parseListen('127.0.0.1:9615'), { host: '127.0.0.1', port: 9615, family: 4 });
  assert.deepEqual(parseListen('[::1]:9615'), { host: '::1', port: 9615, family: 6 });
  assert.deepEqual(parseListen('localhost:80'), { host: '127.0.0.1', port: 80, family: 4 });
  assert.match(parseListen('9615') as string, /expected "host:port"/);
  assert.match(parseListen('example.org:9615') as string, /IP address/);
  assert.match(parseListen('127.0.0.1:0') as string, /1 to 65535/);
  assert.match(parseListen('127.0.0.1:70000') as string, /1 to 65535/);
  assert.equal(formatAddress({ host: '::1', port: 1 }), '[::1]:1');
  assert.ok(
    isLoopback('127.0.0.2') && isLoopback('::1') && !isLoopback('0.0.0.0') && !isLoopback('10.0.0.1'),
  );
  assert.ok(collide(parseListen('0.0.0.0:9') as never, parseListen('127.0.0.1:9') as never));
  assert.ok(!collide(parseListen('10.0.0.1:9') as never, parseListen('127.0.0.1:9') as never));
});

test('no settings file: every listener off, and nothing else is read', () => {
  assert.equal(loadSettings(home()), DEFAULT_SETTINGS);
});

test('a YAML file: both listeners, the metrics switch, notify normalised for the alerts', () => {
  const h = home({
    'tend.config.yaml':
      'http:\n  listen: "127.0.0.1:9615"\nhealth:\n  listen: "0.0.0.0:9616"\nmetrics:\n  rollup_only: true\nnotify:\n  webhook: http://x\n',
  });
  const s = loadSettings(h);
  assert.deepEqual(s.http, { listen: '127.0.0.1:9615', allow_remote: false, hosts: [] });
  assert.deepEqual(s.health, { listen: '0.0.0.0:9616' }, 'the health listener may bind anywhere');
  assert.equal(s.metrics.rollup_only, true);
  assert.equal(s.notify?.webhook[0]?.url, 'http://x'); // normalised by config/notify-field.ts
  assert.equal(s.file, join(h, 'tend.config.yaml'));
  assert.ok(Object.isFrozen(s));
});

test('a JSON file; an empty file is no settings', () => {
  assert.equal(
    loadSettings(home({ 'tend.config.json': '{"http":{"listen":"[::1]:9000"}}' })).http?.listen,
    '[::1]:9000',
  );
  assert.equal(loadSettings(home({ 'tend.config.yaml': '' })).http, null);
});

test('both files is an error naming them', () => {
  const e = loadError(home({ 'tend.config.yaml': '', 'tend.config.json': '{}' }));
  assert.equal(e.code, 'TEND_ERR_SETTINGS_INVALID');
  assert.match(e.message, /tend\.config\.yaml: .*tend\.config\.json exists too: keep one settings file/);
});

test('syntax errors name the file and the place', () => {
  assert.match(
    loadError(home({ 'tend.config.yaml': 'http: [\n' })).message,
    /tend\.config\.yaml: invalid YAML: .*line/,
  );
  assert.match(
    loadError(home({ 'tend.config.json': '{"http":' })).message,
    /tend\.config\.json: invalid JSON/,
  );
});

test('unknown keys are errors, with a "did you mean"', () => {
  assert.deepEqual(problems({ htpp: { listen: '127.0.0.1:1' } }), [
    'htpp: unknown key (did you mean "http"?)',
  ]);
  assert.deepEqual(problems({ http: { listen: '127.0.0.1:1', allow_remot: true } }), [
    'http.allow_remot: unknown key (did you mean "allow_remote"?)',
  ]);
  assert.match(problems({ zzz: 1 })[0] as string, /known: http, health, metrics, notify/);
});

test('wrong values: field path, what was expected, what was given', () => {
  assert.deepEqual(problems({ http: { listen: 9615 } }), [
    'http.listen: expected "host:port", e.g. "127.0.0.1:9615", got 9615',
  ]);
  assert.deepEqual(problems({ health: { listen: 'localhost' } }), [
    'health.listen: expected "host:port", e.g. "127.0.0.1:9616" (or "[::1]:9616" for IPv6), got "localhost"',
  ]);
  assert.deepEqual(problems({ metrics: { rollup_only: 'yes' } }), [
    'metrics.rollup_only: expected true or false, got "yes"',
  ]);
  assert.deepEqual(problems({ http: 'on' }), ['http: expected a mapping, got "on"']);
  assert.equal(problems({ http: { listen: 'x', allow_remote: 1 } }).length, 2, 'every problem at once');
});

test('a non-loopback http.listen needs allow_remote: true', () => {
  const [p] = problems({ http: { listen: '0.0.0.0:9615' } });
  assert.match(
    p as string,
    /^http\.listen: 0\.0\.0\.0:9615 is reachable from other machines.*"allow_remote: true"/,
  );
  const ok = validateSettings({
    http: { listen: '0.0.0.0:9615', allow_remote: true, hosts: ['tend.example.org'] },
  });
  assert.ok('settings' in ok);
  assert.deepEqual(ok.settings.http?.hosts, ['tend.example.org']);
});

test('the same port twice is refused', () => {
  assert.deepEqual(problems({ http: { listen: '127.0.0.1:9615' }, health: { listen: '0.0.0.0:9615' } }), [
    'health.listen: 0.0.0.0:9615 is the port of http.listen too: give each listener its own port',
  ]);
});

test('the load error carries the file, a one-line detail and the issues', () => {
  const e = loadError(home({ 'tend.config.yaml': 'http:\n  listen: nope\nmetrics:\n  rollup_only: 3\n' }));
  assert.equal(e.code, 'TEND_ERR_SETTINGS_INVALID');
  assert.ok(!e.message.includes('\n'), 'one line: the daemon sends it to the CLI on its notify pipe');
  assert.match(e.message, /tend\.config\.yaml: http\.listen: .*; metrics\.rollup_only: /);
  assert.equal((e.data.issues as unknown[]).length, 2);
});

test('a settings file that is a link, or writable by others, is refused', () => {
  const h = home({ 'real.yaml': '' });
  symlinkSync(join(h, 'real.yaml'), join(h, 'tend.config.yaml'));
  const link = loadError(h);
  assert.equal(link.code, 'TEND_ERR_HOME_UNSAFE');
  assert.match(link.message, /is a symbolic link/);
  const h2 = home({ 'tend.config.yaml': '' });
  chmodSync(join(h2, 'tend.config.yaml'), 0o666);
  assert.match(loadError(h2).message, /can be written by other users/);
});

test('web.json: written 0600, read back, removed; a damaged or remote one is ignored with a reason', () => {
  const h = home();
  const lines: string[] = [];
  assert.equal(
    readWebFile(h, (l) => lines.push(l)),
    null,
  );
  writeWebFile(h, { listen: '127.0.0.1:9615' });
  assert.deepEqual(
    readWebFile(h, (l) => lines.push(l)),
    { listen: '127.0.0.1:9615' },
  );
  removeWebFile(h);
  assert.equal(
    readWebFile(h, (l) => lines.push(l)),
    null,
  );
  writeFileSync(join(h, 'web.json'), '{"listen":"0.0.0.0:1"}', { mode: 0o600 });
  assert.equal(
    readWebFile(h, (l) => lines.push(l)),
    null,
  );
  assert.match(lines.join('\n'), /web\.json ignored.*not a loopback address/);
});

test("notify: checked like an app's notify field; a valid one reaches the daemon as a NotifySpec", () => {
  const bad = problems({ notify: { webhook: 'ftp://example.org/hook' } });
  assert.equal(bad.length, 1, bad.join('\n'));
  assert.match(bad[0] as string, /^notify\.webhook/);
  const typo = problems({ notify: { webhok: 'http://127.0.0.1:1/h' } });
  assert.match(typo.join('\n'), /notify.*webhok/);
  const ok = validateSettings({ notify: { webhook: 'http://127.0.0.1:1/h' } });
  assert.ok('settings' in ok);
  assert.ok(ok.settings.notify && ok.settings.notify.webhook.length === 1);
  assert.equal(ok.settings.notify.webhook[0]?.url, 'http://127.0.0.1:1/h');
});

test('a settings file nested 100 000 deep: an error saying where, not a stack overflow (verification of the tenth audit)', () => {
  const deep = `{"http":{"listen":"127.0.0.1:19616","hosts":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
  const { message, code } = loadError(home({ 'tend.config.json': deep }));
  assert.equal(code, 'TEND_ERR_SETTINGS_INVALID');
  assert.match(message, /http\.hosts(\[0\])+.*nested more than 64 levels deep/);
});
