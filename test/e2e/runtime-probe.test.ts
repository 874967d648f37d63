// `tend-runtime probe` (issue 15), run as a user's HEALTHCHECK runs it: bin/tend-runtime.js executed (sh, then
// Node), against real HTTP servers on loopback that answer 200, 503, 404 or never. Needs `npm run build`.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseProbeArgs } from '../../src/container/probe.js';
import { FIXTURES, ROOT } from '../helpers/daemon.js';
import { freePort } from '../helpers/free-port.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const RUNTIME = join(ROOT, 'bin', 'tend-runtime.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
/** The bin itself, executed (its #!/bin/sh line), as Docker's HEALTHCHECK runs it. */
function runProbe(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    const e: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!('TEND_HEALTH_LISTEN' in env)) delete e.TEND_HEALTH_LISTEN;
    execFile(RUNTIME, ['probe', ...args], { env: e, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A stand-in for tend-runtime's health listener: the answers are the runtime's (verbose check lines). */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
async function serve(handler: Handler): Promise<{ server: Server; addr: string; urls: string[] }> {
  const urls: string[] = [];
  const server = createServer((req, res) => {
    urls.push(req.url ?? '');
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, addr: `127.0.0.1:${(server.address() as AddressInfo).port}`, urls };
}
const text = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
};

let healthy: Awaited<ReturnType<typeof serve>>;
let hanging: Awaited<ReturnType<typeof serve>>;
let unfiltered: Awaited<ReturnType<typeof serve>>;
const held: ServerResponse[] = [];

before(async () => {
  // /readyz 200, /livez 503, /startupz 404 for an unknown app (as the runtime answers ?app=nope).
  healthy = await serve((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.get('app') === 'nope')
      return text(res, 404, `[-]nope no such app\n${url.pathname.slice(1)} check failed\n`);
    if (url.pathname === '/readyz') return text(res, 200, '[+]api ok\nreadyz check passed\n');
    if (url.pathname === '/livez')
      return text(res, 503, '[-]api not live (errored: too many restarts)\nlivez check failed\n');
    return text(res, 200, '[+]startup ok\nstartupz check passed\n');
  });
  // Accepts, reads, never answers.
  hanging = await serve((_req, res) => {
    held.push(res);
  });
  // A runtime that does not filter on ?app= (tend's daemon before issue 15): every app's check comes back.
  unfiltered = await serve((_req, res) => text(res, 200, '[+]api ok\n[+]worker ok\nreadyz check passed\n'));
});
after(() => {
  for (const res of held) res.destroy();
  for (const s of [healthy, hanging, unfiltered]) {
    s.server.closeAllConnections();
    s.server.close();
  }
});

test('probe: 200 → exit 0; /readyz by default, --live and --startup ask the others', async () => {
  const ready = await runProbe(['--health-listen', healthy.addr]);
  assert.equal(ready.code, 0, ready.stderr);
  assert.match(ready.stdout, /GET http:\/\/127\.0\.0\.1:\d+\/readyz\?verbose: 200 \[\+\]api ok/);
  assert.equal(ready.stderr, '');
  const live = await runProbe(['--live', '--health-listen', healthy.addr]);
  assert.equal(live.code, 1);
  assert.equal(live.stdout, '');
  // One line, the reason: the failing check as the runtime words it.
  assert.equal(
    live.stderr,
    `tend-runtime probe: GET http://${healthy.addr}/livez?verbose: 503 [-]api not live (errored: too many restarts) (TEND_ERR_PROBE_FAILED)\n`,
  );
  const startup = await runProbe(['--startup', '--health-listen', healthy.addr]);
  assert.equal(startup.code, 0, startup.stderr);
  assert.deepEqual(healthy.urls.slice(-3), ['/readyz?verbose', '/livez?verbose', '/startupz?verbose']);
});

test('probe: a stdout that cannot be written (a full disk) leaves the verdict alone: 0 for a 200, no stack trace (ninth audit)', async () => {
  // /dev/full fails every write with ENOSPC, as a closed pipe fails it with EPIPE: the 'error' event on
  // process.stdout ended the probe with exit 1 and a stack trace.
  const full = openSync('/dev/full', 'w');
  try {
    for (const args of [['probe', '--health-listen', healthy.addr], ['--version']]) {
      // Not spawnSync: the stand-in server answers from this process's event loop.
      const child = spawn(RUNTIME, args, { stdio: ['ignore', full, 'pipe'], timeout: 20_000 });
      let stderr = '';
      child.stderr?.on('data', (b: Buffer) => {
        stderr += b.toString();
      });
      const [code] = await once(child, 'close');
      assert.equal(code, 0, `${args.join(' ')}: ${stderr}`);
      assert.equal(stderr, '', args.join(' '));
    }
  } finally {
    closeSync(full);
  }
});

test('probe --app NAME asks ?app=NAME; an unknown app (404) fails', async () => {
  const r = await runProbe(['--app', 'api', '--health-listen', healthy.addr]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(healthy.urls.at(-1), '/readyz?verbose&app=api');
  const nope = await runProbe(['--app', 'nope', '--startup', '--health-listen', healthy.addr]);
  assert.equal(nope.code, 1);
  assert.match(nope.stderr, /: 404 \[-\]nope no such app \(TEND_ERR_PROBE_FAILED\)\n$/);
});

test('probe --app against a runtime that ignores ?app=: the verdict stands and a note says so', async () => {
  const r = await runProbe(['--app', 'api', '--health-listen', unfiltered.addr]);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /note: this runtime's \/readyz ignores \?app=api: the answer covers worker too/);
});

test('probe: a 200 that is not a tend health answer (another server on that port) → exit 1 (third audit)', async () => {
  const other = await serve((_req, res) => text(res, 200, 'hello\n'));
  try {
    const r = await runProbe(['--health-listen', other.addr]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /: 200, but not a tend-runtime health answer \(another server on this address\?\) \(TEND_ERR_PROBE_FAILED\)\n$/,
    );
  } finally {
    other.server.closeAllConnections();
    other.server.close();
  }
});

test('probe: nothing listening → exit 1 with the reason; no answer within 2s → exit 1', async () => {
  const port = await freePort();
  const refused = await runProbe(['--health-listen', `127.0.0.1:${port}`]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /connection refused .*\(TEND_ERR_PROBE_FAILED\)\n$/);
  assert.equal(refused.stderr.split('\n').length, 2, 'one line');
  const slow = await runProbe(['--health-listen', hanging.addr]);
  assert.equal(slow.code, 1);
  assert.match(slow.stderr, /: no answer within 2s \(TEND_ERR_PROBE_FAILED\)\n$/);
  assert.equal(held.length, 1, 'the request reached the server');
});

test('probe: the address from TEND_HEALTH_LISTEN, --health-listen first; a wildcard address is asked on loopback', async () => {
  const port = (healthy.server.address() as AddressInfo).port;
  const env = await runProbe([], { TEND_HEALTH_LISTEN: healthy.addr });
  assert.equal(env.code, 0, env.stderr);
  const flagFirst = await runProbe(['--health-listen', healthy.addr], { TEND_HEALTH_LISTEN: 'nonsense' });
  assert.equal(flagFirst.code, 0, flagFirst.stderr);
  const wildcard = await runProbe(['--health-listen', `0.0.0.0:${port}`]);
  assert.equal(wildcard.code, 0, wildcard.stderr);
  assert.match(wildcard.stdout, new RegExp(`http://127\\.0\\.0\\.1:${port}/readyz`));
});

test('probe: usage errors exit 1 (Docker reserves 2 for HEALTHCHECK) with TEND_ERR_USAGE; --help exits 0', async () => {
  for (const [args, env, re] of [
    [['--bogus'], {}, /Unknown option '--bogus'/],
    [['--ready', '--live'], {}, /--ready and --live: give one/],
    [['--health-listen', 'localhost'], {}, /--health-listen localhost: expected "host:port"/],
    [['--health-listen', 'off'], {}, /--health-listen off: the runtime serves no health endpoint/],
    [[], { TEND_HEALTH_LISTEN: 'example.com:80' }, /TEND_HEALTH_LISTEN example\.com:80: expected an IP/],
    [['extra'], {}, /Unexpected argument 'extra'/],
  ] as const) {
    const r = await runProbe([...args], { ...env });
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.match(r.stderr, /^tend-runtime probe: .* \(TEND_ERR_USAGE\)\n$/);
  }
  const help = await runProbe(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: tend-runtime probe \[--ready\|--live\|--startup\]/);
});

test('parseProbeArgs: defaults to /readyz on 127.0.0.1:9616', () => {
  assert.deepEqual(parseProbeArgs([], {}), {
    address: { host: '127.0.0.1', port: 9616, family: 4 },
    endpoint: 'readyz',
    app: null,
  });
  assert.equal(parseProbeArgs(['--live', '--health-listen', '[::1]:9000'], {})?.address.family, 6);
});

test('the probe bundle is light: node:http, node:net and node:util, nothing of the runtime', () => {
  const bundle = readFileSync(join(ROOT, 'dist', 'runtime-probe.cjs'), 'utf8');
  const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).sort();
  assert.deepEqual([...new Set(required)], ['node:http', 'node:net', 'node:util']);
  assert.ok(bundle.length < 20_000, `${bundle.length} bytes`);
});

// Against the real runtime (skipped while src/container/run.ts is the contract's stub).
const coreMissing =
  spawnSync(process.execPath, [RUNTIME, '--help']).status === 0 ? null : 'tend-runtime core not merged yet';

/** The runtime executed as a user does, with its stderr kept as lines to wait on. */
function startRuntime(args: string[]): {
  child: ChildProcess;
  err: string[];
  line(re: RegExp): Promise<void>;
  exit: Promise<number | null>;
} {
  // Every repeated signal is a second one: the test's second SIGTERM may come within the 200 ms a repeat is
  // taken for the same one (shutdown.ts), and then the 60 s --shutdown-delay ran out in full.
  const env: NodeJS.ProcessEnv = { ...process.env, TEND_RUNTIME_SIGNAL_REPEAT_MS: '0' };
  delete env.TEND_HOME;
  delete env.TEND_HEALTH_LISTEN;
  const child = spawn(RUNTIME, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const err: string[] = [];
  const waiters = new Set<{ re: RegExp; done: () => void }>();
  let pending = '';
  child.stderr?.on('data', (b: Buffer) => {
    pending += b.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const l of parts) {
      err.push(l);
      for (const w of [...waiters]) {
        if (!w.re.test(l)) continue;
        waiters.delete(w);
        w.done();
      }
    }
  });
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    err,
    exit,
    line: (re) =>
      err.some((l) => re.test(l))
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`no ${re} on stderr:\n${err.join('\n')}`)),
              15_000,
            );
            waiters.add({
              re,
              done: () => {
                clearTimeout(timer);
                resolve();
              },
            });
          }),
  };
}

describe('probe against a live tend-runtime', { skip: coreMissing ?? false }, () => {
  const tmp = makeTmpHome();
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    tmp.remove();
  });

  test('ready app: every probe 0, an unknown --app 1; draining (--shutdown-delay): --ready 1, --live 0', async () => {
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    const rt = startRuntime([
      join(FIXTURES, 'pid1-app.cjs'),
      '--health-listen',
      addr,
      '--shutdown-delay',
      '60s',
    ]);
    children.push(rt.child);
    await rt.line(/every app is ready/);
    for (const args of [
      [],
      ['--live'],
      ['--startup'],
      ['--app', 'pid1-app'],
      ['--live', '--app', 'pid1-app'],
    ]) {
      const r = await runProbe([...args, '--health-listen', addr]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, '', 'no note: the runtime filters on ?app=');
    }
    const nope = await runProbe(['--app', 'nope', '--health-listen', addr]);
    assert.equal(nope.code, 1);
    assert.match(nope.stderr, /404 \[-\]nope no such app/);
    rt.child.kill('SIGTERM');
    await rt.line(/\/readyz answers 503/);
    const draining = await runProbe([], { TEND_HEALTH_LISTEN: addr });
    assert.equal(draining.code, 1);
    assert.match(draining.stderr, /: 503 \[-\]runtime shutting down \(TEND_ERR_PROBE_FAILED\)\n$/);
    assert.equal((await runProbe(['--live', '--health-listen', addr])).code, 0);
    // A second SIGTERM skips the rest of the delay (the test took the whole 60 s before).
    rt.child.kill('SIGTERM');
    await rt.line(/SIGTERM again: the rest of the shutdown delay skipped/);
    await rt.exit;
  });

  test('an app not ready yet (wait_ready): --ready and --startup 1 naming it, --live 0', async () => {
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    const file = join(tmp.home, 'slow.config.cjs');
    const script = join(FIXTURES, 'never-ready.cjs');
    writeFileSync(
      file,
      `module.exports = { apps: [{ name: 'slow', script: ${JSON.stringify(script)}, wait_ready: true, listen_timeout: 60000 }] };\n`,
    );
    const rt = startRuntime([file, '--health-listen', addr, '--grace-period', '1s']);
    children.push(rt.child);
    await rt.line(/slow\[0\] started pid/);
    const ready = await runProbe(['--health-listen', addr]);
    assert.equal(ready.code, 1);
    assert.match(ready.stderr, /503 \[-\]slow not ready/);
    const startup = await runProbe(['--startup', '--app', 'slow', '--health-listen', addr]);
    assert.equal(startup.code, 1);
    assert.match(startup.stderr, /503 \[-\]slow starting/);
    assert.equal((await runProbe(['--live', '--health-listen', addr])).code, 0);
    rt.child.kill('SIGTERM');
    await rt.exit;
  });
});
