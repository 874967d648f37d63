// `node --import tsx bench/protocol-flood.ts [connections]`: how long the daemon takes to answer `list`
// while a separate process opens a flood of connections (default 500; half greet and ask for the list,
// half only connect), and once they are all open, against its idle time (issue 16's target: ≤ 2×). The
// flood runs in a child process so the prober's own event loop measures the daemon, not the flooder.
// Uses the built daemon (npm run build) in a temporary TEND_HOME, and ends it.
import { execFile, fork } from 'node:child_process';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { connect, type TendClient } from '../src/client/client.js';
import { homePaths } from '../src/protocol/home.js';
import { PROTOCOL_VERSION } from '../src/protocol/version.js';
import { makeTmpHome } from '../test/helpers/tmp-home.js';

const hello = `${JSON.stringify({ id: 1, method: 'daemon.hello', params: { protocol: PROTOCOL_VERSION, client: 'flood' } })}\n`;

async function flooder(socketPath: string, n: number): Promise<void> {
  const open = (i: number) =>
    new Promise<Socket>((resolve) => {
      const s = netConnect(socketPath);
      s.on('error', () => {});
      s.once('connect', () => {
        if (i % 2 === 1) return resolve(s);
        let seen = 0;
        s.on('data', (chunk) => {
          seen += String(chunk).split('\n').length - 1;
          if (seen >= 2) resolve(s);
        });
        s.write(`${hello}${JSON.stringify({ id: 2, method: 'process.list' })}\n`);
      });
    });
  // Tell the prober the flood begins (tsx's start-up is not part of it), then open them all at once.
  await new Promise<void>((resolve) => process.send?.('start', () => resolve()));
  const t0 = performance.now();
  const sockets = await Promise.all(Array.from({ length: n }, (_, i) => open(i)));
  process.send?.(`open ${(performance.now() - t0).toFixed(0)}`);
  process.once('message', () => {
    for (const s of sockets) s.destroy();
    process.exit(0);
  });
}

/** What a user waits for: `tend list` from the shell (a new process, a new connection, hello, list). */
function timeCliList(home: string): Promise<number> {
  const cli = join(import.meta.dirname, '..', 'dist', 'cli.cjs');
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [cli, 'list'], { env: { ...process.env, TEND_HOME: home } }, (err) =>
      err ? reject(err) : resolve(performance.now() - t0),
    ),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
async function timeList(c: TendClient): Promise<number> {
  const t0 = performance.now();
  await c.call('process.list');
  return performance.now() - t0;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--flooder') return flooder(process.argv[3] as string, Number(process.argv[4]));
  const n = Number(process.argv[2] ?? 500);
  const tmp = makeTmpHome();
  const client = await connect({ home: tmp.home });
  try {
    const idle: number[] = [];
    for (let i = 0; i < 200; i++) idle.push(await timeList(client));
    const cliIdle: number[] = [];
    for (let i = 0; i < 5; i++) cliIdle.push(await timeCliList(tmp.home));
    const child = fork(import.meta.filename, ['--flooder', homePaths(tmp.home).socket, String(n)], {
      execArgv: ['--import', 'tsx'],
    });
    const messages: string[] = [];
    const next = () =>
      new Promise<void>((resolve) => child.once('message', (m) => resolve(void messages.push(String(m)))));
    await next();
    // A `tend list` started with the flood: its connection lands in the burst.
    const cliDuring = timeCliList(tmp.home);
    const opened = next();
    let done = false;
    void opened.then(() => (done = true));
    const during: number[] = [];
    while (!done) during.push(await timeList(client));
    const cliFlood = await cliDuring;
    const held: number[] = [];
    for (let i = 0; i < 200; i++) held.push(await timeList(client));
    child.send('end');
    const took = messages.at(-1)?.split(' ')[1];
    const f = (xs: number[]) => `${median(xs).toFixed(3)} ms`;
    console.log(`list, idle:                         ${f(idle)} (median of ${idle.length})`);
    console.log(
      `list, while ${n} connections open:   ${f(during)} (median of ${during.length}; ×${(median(during) / median(idle)).toFixed(2)}; the flood took ${took} ms)`,
    );
    console.log(
      `tend list (CLI), idle / started with the flood: ${f(cliIdle)} / ${cliFlood.toFixed(1)} ms (×${(cliFlood / median(cliIdle)).toFixed(2)})`,
    );
    console.log(
      `list, with ${n} connections open:    ${f(held)} (median of ${held.length}; ×${(median(held) / median(idle)).toFixed(2)})`,
    );
  } finally {
    const closed = client.closed;
    await client.call('daemon.kill');
    await closed;
    tmp.remove();
  }
}

await main();
