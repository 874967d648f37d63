// Waiting on events, never on the clock: subscribe first, act, then wait for the predicate. The timeout is a
// safety net; when it fires, the error lists every event seen so the failure explains itself.
import type { TendClient } from '../../src/client/client.js';
import { connect } from '../../src/client/client.js';
import type { TendEvent } from '../../src/protocol/events.js';

export interface Watcher {
  events: TendEvent[];
  until(
    predicate: (e: TendEvent) => boolean,
    opts?: { timeoutMs?: number; what?: string; after?: TendEvent },
  ): Promise<TendEvent>;
  close(): Promise<void>;
}

/** Opens an event subscription on its own connection. Call before the action you want to observe. */
export async function watch(home: string): Promise<Watcher> {
  const client: TendClient = await connect({ home, spawn: false });
  const events: TendEvent[] = [];
  const waiters = new Set<{ pred: (e: TendEvent) => boolean; done: (e: TendEvent) => void; from: number }>();
  const sub = await client.subscribe((e) => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.pred(e)) {
        waiters.delete(w);
        w.done(e);
      }
    }
  });
  return {
    events,
    until(predicate, opts = {}) {
      const timeoutMs = opts.timeoutMs ?? 15_000;
      // Events already received count too: they may have arrived while the test was busy acting. Those up
      // to `after` do not: an earlier event of the same kind is not the one awaited.
      const from = opts.after === undefined ? 0 : events.indexOf(opts.after) + 1;
      const seen = events.slice(from).find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = {
          pred: predicate,
          from: events.length,
          done: (e: TendEvent) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          const seenList = events
            .map((e) => `${e.event} ${JSON.stringify(e.data).slice(0, 160)}`)
            .join('\n  ');
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${opts.what ?? 'an event'}; saw:\n  ${seenList}`,
            ),
          );
        }, timeoutMs);
        waiters.add(w);
      });
    },
    close: () => sub.close(),
  };
}

/** Predicate: process `name` (or id) reached `status`. */
export function reached(nameOrId: string | number, status: string) {
  return (e: TendEvent) =>
    e.event === 'process.state' &&
    e.data.to === status &&
    (typeof nameOrId === 'number' ? e.data.id === nameOrId : e.data.name === nameOrId);
}
