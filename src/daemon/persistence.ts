// What handlers need of persistence: the current list as it would be saved, the reference spec that saved
// lists are checked against, one-at-a-time resurrects, and the notices of this daemon's start (recovery,
// damaged files) for the CLI to show.
import type { AppSpec } from '../config/spec.js';
import type { StateFile } from '../persist/saved-apps.js';

export interface Persistence {
  /** The list now, with each unit's wanted state (before any stop of a shutdown). */
  snapshot(): StateFile;
  /**
   * Writes `list` as state.json's last content, marked for the next daemon to restore (`tend update`), and
   * stops further writes: the stop that follows must not record every app as wanted down.
   */
  handover(list: StateFile): Promise<void>;
  /** Set by the first `tend update`: a second one must not record the list again while the apps stop. */
  updating: boolean;
  /** Starts the next daemon now, to wait until this one is gone (tend update: overlaps its start-up). */
  prepareSuccessor(): void;
  reference: AppSpec;
  /** Runs fn after every earlier fn has finished: two resurrects at once must not both add an app. */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Saved fields changed without a state event (`tend reset` zeroes the counters): writes the list again and
   * resolves once it is on disk, so the reply comes after the change is saved.
   */
  changed(): Promise<void>;
  /** Every notice since this daemon started. */
  notices: string[];
  /** The notices no client has been given yet (each is shown once, by the first command after it). */
  takeNew(): string[];
}

export function createPersistence(
  snapshot: () => StateFile,
  reference: AppSpec,
  writeFinal: (list: StateFile) => Promise<void>,
  prepareSuccessor: () => void,
  changed: () => Promise<void> = async () => {},
): Persistence {
  let chain: Promise<unknown> = Promise.resolve();
  let given = 0;
  const p: Persistence = {
    snapshot,
    reference,
    handover: (list) => writeFinal({ ...list, clean: true, restore: true }),
    prepareSuccessor,
    changed,
    updating: false,
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
