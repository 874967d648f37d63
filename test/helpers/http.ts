// HTTP on loopback for the cluster tests: one request (no keep-alive, bounded by a timeout), and a client load
// of a few sequential loops that counts every outcome, failures and connection resets included.
import http from 'node:http';

export interface Reply {
  status: number;
  body: string;
}

/** Who served a request (the cl-* fixtures answer with it). */
export interface Who {
  pid: number;
  instance: string;
  execPath: string;
  execArgv: string[];
  worker: boolean;
  kind?: string;
}

/** GET http://127.0.0.1:<port><path>; without an agent on a fresh connection (no keep-alive). */
export function get(port: number, path = '/', timeoutMs = 10_000, agent?: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, agent: agent ?? false, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/**
 * A request whose answer comes in two parts (the cl-server /slow endpoint): `started` resolves when the first
 * part arrives, i.e. once the request is in flight in the worker; `done` with the whole answer.
 */
export function inFlight(port: number, path: string): { started: Promise<void>; done: Promise<Reply> } {
  let started!: () => void;
  const startedP = new Promise<void>((resolve) => {
    started = resolve;
  });
  const done = new Promise<Reply>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        started();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  done.catch(() => started());
  return { started: startedP, done };
}

export async function who(port: number, path = '/'): Promise<Who> {
  const r = await get(port, path);
  if (r.status !== 200) throw new Error(`status ${r.status}: ${r.body}`);
  return JSON.parse(r.body.slice(r.body.indexOf('{'))) as Who;
}

export interface LoadStats {
  ok: number;
  failed: number;
  /** Failures that were connection resets (ECONNRESET, "socket hang up"). */
  resets: number;
  /** Failure messages, by message. */
  errors: Map<string, number>;
  /** Successful requests by the pid that served them. */
  byPid: Map<number, number>;
}

export interface Load {
  stats: LoadStats;
  /** Resolves once `n` requests in all have succeeded (a count, not a clock; the timeout is a safety net). */
  reached(n: number, timeoutMs?: number): Promise<void>;
  /** Ends the loops after their current request; resolves with the final counts. */
  stop(): Promise<LoadStats>;
}

/**
 * `concurrency` loops, each sending one request after the other until stop(), and in any case for at most
 * `maxMs`: a test that fails before its stop() must not leave a client spinning against a closed port.
 * `keepAlive`: the loops share a keep-alive agent (one connection each, reused), as most HTTP clients do.
 */
export function load(
  port: number,
  concurrency = 4,
  opts: { keepAlive?: boolean; maxMs?: number } = {},
): Load {
  const { keepAlive = false, maxMs = 30_000 } = opts;
  const agent = keepAlive ? new http.Agent({ keepAlive: true, maxSockets: concurrency }) : undefined;
  const stats: LoadStats = { ok: 0, failed: 0, resets: 0, errors: new Map(), byPid: new Map() };
  let running = true;
  const bound = setTimeout(() => {
    running = false;
  }, maxMs);
  bound.unref();
  const waiters: { n: number; done: () => void }[] = [];
  const loop = async () => {
    while (running) {
      try {
        const r = await get(port, '/', 10_000, agent);
        if (r.status !== 200) throw new Error(`status ${r.status}`);
        stats.ok += 1;
        const { pid } = JSON.parse(r.body) as Who;
        stats.byPid.set(pid, (stats.byPid.get(pid) ?? 0) + 1);
        for (const w of [...waiters])
          if (stats.ok >= w.n) {
            waiters.splice(waiters.indexOf(w), 1);
            w.done();
          }
      } catch (err) {
        stats.failed += 1;
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ECONNRESET' || /socket hang up/.test(e.message)) stats.resets += 1;
        const key = e.code ?? e.message;
        stats.errors.set(key, (stats.errors.get(key) ?? 0) + 1);
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    stats,
    reached: (n, timeoutMs = 15_000) => {
      if (stats.ok >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const errors = JSON.stringify([...stats.errors]);
          reject(new Error(`load: ${stats.ok} of ${n} requests served in ${timeoutMs} ms; errors ${errors}`));
        }, timeoutMs);
        waiters.push({
          n,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async stop() {
      running = false;
      clearTimeout(bound);
      await Promise.all(loops);
      agent?.destroy();
      return stats;
    },
  };
}
