// Concurrent commands on one app (issue 16, fault 2): every pair and every triple of start / stop / restart /
// reload / scale / delete, sent at the same instant on separate connections (as separate CLIs would) to a
// 2-worker cluster app. Every command must return, and the app must end in a state that some serial order of
// the commands gives (the daemon runs an app's operations one at a time, in arrival order: supervisor/app.ts).
// Bounded: 15 pairs + 20 triples, one round each (TEND_RACE_ROUNDS=N for more).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TendClient } from '../../src/client/client.js';
import { TendError } from '../../src/protocol/errors.js';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';

type Op = 'start' | 'stop' | 'restart' | 'reload' | 'scale' | 'delete';
const OPS: readonly Op[] = ['start', 'stop', 'restart', 'reload', 'scale', 'delete'];
const NAME = 'api';
const ROUNDS = Number(process.env.TEND_RACE_ROUNDS ?? 1);

/** instance number → up; null: the app does not exist. */
type Model = Map<number, boolean> | null;

/** What one operation does to the model in a serial run (scale goes to `scaleTo` instances). */
function apply(m: Model, op: Op, scaleTo: number): Model {
  if (m === null) return null; // every operation on a deleted app is "not found"
  const next = new Map(m);
  switch (op) {
    case 'start':
    case 'restart':
    case 'reload':
      for (const k of next.keys()) next.set(k, true);
      return next;
    case 'stop':
      for (const k of next.keys()) next.set(k, false);
      return next;
    case 'delete':
      return null;
    case 'scale': {
      // Kept instances stay as they are; new ones are started; the highest ones go.
      for (const k of [...next.keys()].filter((k) => k >= scaleTo)) next.delete(k);
      for (let i = 0; i < scaleTo; i++) if (!next.has(i)) next.set(i, true);
      return next;
    }
  }
}

function key(m: Model): string {
  if (m === null) return 'deleted';
  return [...m]
    .sort((a, b) => a[0] - b[0])
    .map(([i, up]) => `${i}:${up ? 'online' : 'stopped'}`)
    .join(' ');
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

function combinations<T>(xs: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  return xs.flatMap((x, i) => combinations(xs.slice(i + 1), k - 1).map((c) => [x, ...c]));
}

/** Every final state a serial order of `ops` can give, from a running 2-instance app. */
function serialOutcomes(ops: readonly Op[], scaleTo: number): Set<string> {
  const start: Model = new Map([
    [0, true],
    [1, true],
  ]);
  return new Set(
    permutations(ops).map((order) => key(order.reduce<Model>((m, op) => apply(m, op, scaleTo), start))),
  );
}

function call(c: TendClient, op: Op, scaleTo: number): Promise<unknown> {
  const target = [NAME];
  switch (op) {
    case 'start':
      return c.call('process.start', { target, wait: true });
    case 'stop':
      return c.call('process.stop', { target, wait: true });
    case 'restart':
      return c.call('process.restart', { target, wait: true });
    case 'reload':
      return c.call('process.reload', { target });
    case 'scale':
      return c.call('app.scale', { name: NAME, instances: scaleTo });
    case 'delete':
      return c.call('process.delete', { target });
  }
}

/** Resolves with the call's outcome; rejects only if it does not return in time (a hang is the failure). */
function bounded<T>(
  p: Promise<T>,
  what: string,
  ms = 30_000,
): Promise<{ ok: true } | { ok: false; err: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not return within ${ms} ms`)), ms);
  });
  return Promise.race([
    p.then(
      () => ({ ok: true as const }),
      (err: unknown) => ({ ok: false as const, err }),
    ),
    timeout,
  ]).finally(() => clearTimeout(timer));
}

describe('concurrent commands on one app end as some serial order would', () => {
  let d: TestDaemon;
  let clients: TendClient[] = [];
  before(async () => {
    d = await startTestDaemon();
    clients = [d.client, await d.connect(), await d.connect()];
  });
  after(async () => {
    for (const c of clients.slice(1)) await c.close().catch(() => {});
    await d.stop();
  });

  async function fresh(): Promise<void> {
    const { processes } = await d.client.call('process.list');
    if (processes.some((p) => p.name === NAME)) await d.client.call('process.delete', { target: [NAME] });
    await d.client.call('app.start', {
      apps: [{ name: NAME, script: `${FIXTURES}/cl-server.cjs`, exec_mode: 'cluster', instances: 2 }],
      base_dir: FIXTURES,
      env: { PATH: process.env.PATH ?? '' },
      wait: true,
    });
  }

  async function observed(): Promise<string> {
    const { processes } = await d.client.call('process.list');
    const mine = processes.filter((p) => p.name === NAME);
    if (mine.length === 0) return 'deleted';
    return mine
      .sort((a, b) => a.instance - b.instance)
      .map((p) => `${p.instance}:${p.status}`)
      .join(' ');
  }

  const rounds = [...combinations(OPS, 2), ...combinations(OPS, 3)];
  test(`${rounds.length} rounds × ${ROUNDS}: every command returns, the end state is a serial one`, async () => {
    const seen: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const ops of rounds) {
        const scaleTo = ops.length === 2 ? 3 : 1;
        await fresh();
        const outcomes = await Promise.all(
          ops.map((op, i) =>
            bounded(call(clients[i] as TendClient, op, scaleTo), `${op} (in ${ops.join('+')})`),
          ),
        );
        for (const [i, o] of outcomes.entries()) {
          if (o.ok) continue;
          // After a delete, a later command finds nothing: that is what the serial order says too. A reload
          // a stop or a delete came for during its replacement is cut short there (App.enqueue: a stop does
          // not wait for a reload's deadline), and fails saying so: its end state is the stop's, as when the
          // stop comes after it.
          const cutShort =
            ops[i] === 'reload' &&
            (ops.includes('stop') || ops.includes('delete')) &&
            o.err instanceof TendError &&
            o.err.code === 'TEND_ERR_RELOAD_FAILED' &&
            /a stop of the instance came during the reload/.test(o.err.message);
          assert.ok(
            cutShort || (o.err instanceof TendError && o.err.code === 'TEND_ERR_TARGET_NOT_FOUND'),
            `${ops[i]} in ${ops.join('+')} failed: ${String(o.err)}`,
          );
        }
        const end = await observed();
        const allowed = serialOutcomes(ops, scaleTo);
        assert.ok(
          allowed.has(end),
          `${ops.join('+')}: ended as "${end}"; serial orders give ${[...allowed].join(' | ')}`,
        );
        seen.push(`${ops.join('+')} → ${end}`);
      }
    }
    assert.equal(seen.length, rounds.length * ROUNDS);
  });
});
