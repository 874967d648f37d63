// `tend web` as a user meets it (the built CLI and daemon): the URL and its one-time login link, --json,
// --off, a bad port, a port in use, and a daemon that refuses an invalid settings file. The HTTP layer is
// its own bundle, which a daemon without listeners never loads.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT, runCli } from '../helpers/daemon.js';
import { freePort } from '../helpers/free-port.js';
import { makeTmpHome } from '../helpers/tmp-home.js';
import { request } from '../integration/http/support.js';

const tmp = makeTmpHome();
const home = tmp.home;
const cli = (args: string[]) => runCli(args, { home });
after(async () => {
  await cli(['kill']);
  tmp.remove();
});

test('tend web --help says what it does, where the tokens are and what wins', async () => {
  const r = await cli(['web', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--port <port>/);
  assert.match(r.stdout, /--off/);
  assert.match(r.stdout, /web\.json/);
  assert.match(r.stdout, /http\.listen[\s\S]*wins/);
});

test('tend web --port N: the dashboard URL and a login link that works once', async () => {
  const port = await freePort();
  const r = await cli(['web', '--port', String(port)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Dashboard: http://127\\.0\\.0\\.1:${port}/\\n`));
  const token = new RegExp(`  http://127\\.0\\.0\\.1:${port}/#login=([\\w-]{43})\\n`).exec(r.stdout)?.[1];
  assert.ok(token, r.stdout);
  assert.match(r.stdout, new RegExp(`API tokens: ${home}/http\\.token \\(admin\\)`));
  const login = await request(port, '/api/v1/session', { method: 'POST', body: { token } });
  assert.equal(login.status, 200);
  assert.equal((await request(port, '/api/v1/session', { method: 'POST', body: { token } })).status, 401);

  const json = await cli(['web', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const result = JSON.parse(json.stdout);
  assert.equal(result.url, `http://127.0.0.1:${port}/`, 'the same port again without --port');
  assert.equal(result.source, 'web');
  assert.deepEqual(result.listeners, [{ kind: 'api', url: `http://127.0.0.1:${port}/` }]);

  const off = await cli(['web', '--off']);
  assert.equal(off.code, 0, off.stderr);
  assert.match(off.stdout, /off/);
  await assert.rejects(request(port, '/api/v1/session'), /ECONNREFUSED/);
});

test('a bad port is a usage error; a port in use names the address', async () => {
  for (const bad of ['0', '70000', 'abc']) {
    const r = await cli(['web', '--port', bad]);
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, /expected a port from 1 to 65535.*\(TEND_ERR_USAGE\)/);
  }
  const host = await cli(['web', '--host', '0.0.0.0', '--port', String(await freePort())]);
  assert.equal(host.code, 2);
  assert.match(host.stderr, /not a loopback address.*allow_remote: true.*\(TEND_ERR_USAGE\)/);
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const busy = (blocker.address() as net.AddressInfo).port;
  try {
    const r = await cli(['web', '--port', String(busy)]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `^error: cannot listen on 127\\.0\\.0\\.1:${busy} \\(api listener\\): the address is already in use \\(EADDRINUSE\\).*\\(TEND_ERR_HTTP_LISTEN\\)\\n$`,
      ),
    );
  } finally {
    blocker.close();
  }
});

test('an invalid settings file: the daemon refuses to start and the CLI says why', async () => {
  const other = makeTmpHome();
  try {
    writeFileSync(
      join(other.home, 'tend.config.yaml'),
      'http:\n  listen: "0.0.0.0:9615"\n  allow_remot: true\n',
    );
    const r = await runCli(['ping'], { home: other.home });
    assert.equal(r.code, 3);
    assert.match(
      r.stderr,
      /tend\.config\.yaml: .*http\.listen: 0\.0\.0\.0:9615 is reachable from other machines/,
    );
    assert.match(r.stderr, /http\.allow_remot: unknown key \(did you mean "allow_remote"\?\)/);
    assert.match(r.stderr, /TEND_ERR_SETTINGS_INVALID/);
  } finally {
    other.remove();
  }
});

test('the daemon bundle holds no HTTP layer: prom-client and src/http are in dist/daemon-http.cjs; node:http only lazily for notify', () => {
  const daemon = readFileSync(join(ROOT, 'dist', 'daemon.cjs'), 'utf8');
  const http = readFileSync(join(ROOT, 'dist', 'daemon-http.cjs'), 'utf8');
  for (const marker of ['prom-client', 'src/http/', 'node_modules/yaml'])
    assert.ok(!daemon.includes(marker), `daemon.cjs has ${marker}`);
  // node:http and node:crypto appear only inside lazily initialised modules (esbuild's `__esm` wrappers, run
  // on the first import()): src/alerts/ (once an app or the settings has `notify`), and for node:crypto the
  // PM2 home's dump (tend-pm2 save). A require at the start of a line is a top-level one: every daemon pays it.
  const lazy: Record<string, string[]> = {
    'require("node:http")': ['src/alerts/'],
    'require("node:https")': ['src/alerts/'],
    'require("node:crypto")': ['src/alerts/', 'src/pm2/home/'],
  };
  for (const [marker, allowed] of Object.entries(lazy)) {
    for (let at = daemon.indexOf(marker); at !== -1; at = daemon.indexOf(marker, at + 1)) {
      const line = daemon.slice(daemon.lastIndexOf('\n', at) + 1, at);
      assert.ok(/^\s/.test(line), `daemon.cjs has ${marker} at top level: ${line.trim()}`);
      const wrapper = daemon.lastIndexOf('= __esm({', at);
      const module = /= __esm\(\{\s*"([^"]+)"/.exec(daemon.slice(wrapper, at))?.[1] ?? '(top level)';
      assert.ok(
        allowed.some((dir) => module.startsWith(dir)),
        `daemon.cjs has ${marker} in ${module}, not lazily in ${allowed.join(' or ')}`,
      );
    }
  }
  // daemon-http.cjs is minified (scripts/build.mjs): what it holds is read from its source map.
  const sources = (
    JSON.parse(readFileSync(join(ROOT, 'dist', 'daemon-http.cjs.map'), 'utf8')) as { sources: string[] }
  ).sources;
  assert.ok(http.includes('require("node:http")'));
  assert.ok(
    sources.some((s) => s.endsWith('src/http/serve.ts')),
    'daemon-http.cjs holds src/http/serve.ts',
  );
});
