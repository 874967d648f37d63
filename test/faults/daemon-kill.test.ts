// kill -9 of the daemon at a random point of a command burst (issue 16's fault suite): six clients start,
// restart and stop apps at once; after a random number of state changes (drawn from a seeded generator, so a
// failure can be replayed with TEND_FAULT_SEED) the daemon is killed. The next command starts a new daemon
// that recovers: every process of the old one is either in the list or gone (no orphan), no app twice, every
// listed instance settled and its process alive. Bounded: 3 rounds (TEND_FAULT_ROUNDS=N for more).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { connect, type TendClient } from '../../src/client/client.js';
import { readEnviron } from '../../src/runtime/environ.js';
import { readProcStat } from '../../src/runtime/proc-stat.js';
import { type Home, makeHome, pidsRunning } from '../integration/recovery-support.js';

/** What a failure needs to be understood later: who started the process, when, and with which tags. */
async function describeProcess(pid: number, daemons: readonly number[]): Promise<string> {
  const stat = readProcStat(pid);
  const env = await readEnviron(pid);
  const boot = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const age = stat ? `${(boot - stat.starttime / 100).toFixed(2)} s old` : 'gone';
  const parent = stat
    ? `ppid ${stat.ppid}${daemons.includes(stat.ppid) ? ' (a daemon of this test)' : ''}`
    : '';
  const tags = env ? `TEND_ID=${env.TEND_ID ?? '(none)'}` : 'environ unreadable or empty';
  return `${pid}: ${stat?.state ?? '?'}, ${parent}, ${age}, ${tags}`;
}

const ROUNDS = Number(process.env.TEND_FAULT_ROUNDS ?? 3);
const SEED = Number(process.env.TEND_FAULT_SEED ?? Date.now() % 100_000);

/** mulberry32: a small seeded generator, so a failing round can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`kill -9 of the daemon during a burst of commands (seed ${SEED})`, () => {
  let h: Home;
  before(() => {
    h = makeHome();
  });
  after(() => h.cleanup());

  test(`${ROUNDS} rounds: no orphan, no duplicate, every listed process alive`, async () => {
    const rand = random(SEED);
    const script = h.app('idle.cjs', 'burst.cjs');
    const daemons: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // The daemon of this round (the first command of a round starts one, recovering the last one's list).
      const watcher = await connect({ home: h.home });
      const daemonPid = (await watcher.daemon()).pid;
      daemons.push(daemonPid);
      const killAfter = 1 + Math.floor(rand() * 24);
      let changes = 0;
      const killed = new Promise<void>((resolve) => {
        void watcher.subscribe((e) => {
          if (e.event !== 'process.state' || ++changes !== killAfter) return;
          process.kill(daemonPid, 'SIGKILL');
          resolve();
        });
      });
      const clients: TendClient[] = await Promise.all(
        Array.from({ length: 6 }, () => connect({ home: h.home, spawn: false })),
      );
      const burst = clients.map(async (c, i) => {
        const name = `app${(i + round) % 4}`;
        for (let k = 0; k < 4; k++) {
          const pick = rand();
          if (pick < 0.5)
            await c.call('app.start', {
              apps: [{ name, script, instances: 1 + (i % 2), exec_mode: 'fork' }],
              base_dir: h.apps,
              env: { PATH: process.env.PATH ?? '' },
            });
          else if (pick < 0.8) await c.call('process.restart', { target: [name] });
          else await c.call('process.stop', { target: [name] });
        }
      });
      // Commands fail once the daemon is gone (or find no app yet): only the kill matters here.
      const settled = Promise.allSettled(burst);
      await Promise.race([killed, settled]);
      if (changes < killAfter) process.kill(daemonPid, 'SIGKILL'); // the burst ended first: kill now
      await settled;
      for (const c of [watcher, ...clients]) await c.close().catch(() => {});

      const { processes } = await h.jlist(); // a new daemon: ends the old processes, restores the list
      const names = processes.map((p) => `${p.name}#${p.instance}`);
      assert.equal(
        new Set(names).size,
        names.length,
        `round ${round}: no instance twice: ${names.join(' ')}`,
      );
      assert.ok(
        processes.every((p) => p.status === 'online' || p.status === 'stopped'),
        `round ${round}: settled: ${processes.map((p) => `${p.name}:${p.status}`).join(' ')}`,
      );
      const listed = new Set(processes.map((p) => p.pid).filter((p): p is number => p !== null));
      const running = pidsRunning(script);
      const orphans = running.filter((pid) => !listed.has(pid));
      const described = await Promise.all(orphans.map((pid) => describeProcess(pid, daemons)));
      assert.deepEqual(
        orphans,
        [],
        `round ${round} (seed ${SEED}, kill after ${killAfter} changes): processes nobody supervises: ` +
          `${described.join('; ')} (daemons of the rounds: ${daemons.join(' ')})`,
      );
      assert.deepEqual(
        [...listed].filter((pid) => !running.includes(pid)),
        [],
        `round ${round}: listed processes that do not run`,
      );
    }
  });
});
