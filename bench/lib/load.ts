// The closed-loop load generator: autocannon, from the peers folder (never a project dependency), driven
// through its programmatic API so a run can be stopped when the scenario says so.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Peers } from './peers.js';

export interface LoadResult {
  /** Mean requests per second over the run. */
  rps: number;
  total: number;
  /** Connection errors (resets, refused), timeouts and non-2xx answers. */
  errors: number;
  timeouts: number;
  non2xx: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

type Autocannon = (
  opts: { url: string; connections: number; duration: number; pipelining?: number },
  cb: (err: Error | null, r: AutocannonResult) => void,
) => { stop(): void };

export interface LoadRun {
  done: Promise<LoadResult>;
  stop(): void;
}

export function load(peers: Peers, port: number, opts: { connections: number; seconds: number }): LoadRun {
  const autocannon = createRequire(join(peers.dir, 'package.json'))('autocannon') as Autocannon;
  let stop = () => {};
  const done = new Promise<LoadResult>((resolve, reject) => {
    const inst = autocannon(
      { url: `http://127.0.0.1:${port}/`, connections: opts.connections, duration: opts.seconds },
      (err, r) => {
        if (err) reject(err);
        else
          resolve({
            rps: r.requests.average,
            total: r.requests.total,
            errors: r.errors,
            timeouts: r.timeouts,
            non2xx: r.non2xx,
          });
      },
    );
    stop = () => inst.stop();
  });
  return { done, stop: () => stop() };
}
