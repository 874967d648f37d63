// What handlers need of persistence: the current list as it would be saved, the reference spec that saved
// lists are checked against, one-at-a-time resurrects, and the notices of this daemon's start (recovery,
// damaged files) for the CLI to show.
import type { AppSpec } from '../config/spec.js';
import type { StateFile } from './state-file.js';

export interface Persistence {
  /** The list now, with each unit's wanted state (before any stop of a shutdown). */
  snapshot(): StateFile;
  reference: AppSpec;
  /** Runs fn after every earlier fn has finished: two resurrects at once must not both add an app. */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /** Every notice since this daemon started. */
  notices: string[];
  /** The notices no client has been given yet (each is shown once, by the first command after it). */
  takeNew(): string[];
}

export function createPersistence(snapshot: () => StateFile, reference: AppSpec): Persistence {
  let chain: Promise<unknown> = Promise.resolve();
  let given = 0;
  const p: Persistence = {
    snapshot,
    reference,
    serial<T>(fn: () => Promise<T>): Promise<T> {
      const run = chain.then(fn, fn);
      chain = run.catch(() => {});
      return run;
    },
    notices: [],
    takeNew() {
      const fresh = p.notices.slice(given);
      given = p.notices.length;
      return fresh;
    },
  };
  return p;
}
