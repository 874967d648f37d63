// HTTP on 127.0.0.1 only: one GET, and an open-loop client (requests sent on a fixed schedule whatever the
// answers, each on a fresh connection) that counts every failure: refused and reset connections, timeouts
// and non-2xx answers.
import { request } from 'node:http';

export interface Reply {
  status: number;
  body: string;
}

export function get(
  port: number,
  path = '/',
  timeoutMs = 5000,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers, agent: false, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Sends GET path and ignores the outcome (the app is expected to die on it). */
export function fire(port: number, path: string): void {
  const req = request({ host: '127.0.0.1', port, path, agent: false });
  req.on('error', () => {});
  req.on('response', (res) => res.resume());
  req.end();
}

export interface OpenLoopTally {
  sent: number;
  ok: number;
  failed: number;
  /** Failure reasons: error codes (ECONNRESET, ECONNREFUSED…), "timeout" or "status 502". */
  reasons: Record<string, number>;
}

export interface OpenLoop {
  readonly tally: OpenLoopTally;
  /** Resolves once `n` more requests have succeeded (load is flowing). */
  okAfter(n: number, timeoutMs?: number): Promise<void>;
  /** Stops sending and resolves once every request in flight has settled. */
  stop(): Promise<OpenLoopTally>;
}

export function openLoop(port: number, perSecond: number, timeoutMs = 3000): OpenLoop {
  const tally: OpenLoopTally = { sent: 0, ok: 0, failed: 0, reasons: {} };
  let inFlight = 0;
  let idle: (() => void) | null = null;
  const waiters = new Set<{ at: number; resolve: () => void }>();
  const settle = (ok: boolean, reason?: string) => {
    inFlight--;
    if (ok) tally.ok++;
    else {
      tally.failed++;
      const r = reason ?? 'unknown';
      tally.reasons[r] = (tally.reasons[r] ?? 0) + 1;
    }
    for (const w of [...waiters]) {
      if (tally.ok >= w.at) {
        waiters.delete(w);
        w.resolve();
      }
    }
    if (inFlight === 0 && idle) idle();
  };
  const one = () => {
    tally.sent++;
    inFlight++;
    let done = false;
    const finish = (ok: boolean, reason?: string) => {
      if (done) return;
      done = true;
      settle(ok, reason);
    };
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => {
        const s = res.statusCode ?? 0;
        finish(s >= 200 && s < 300, `status ${s}`);
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish(false, e.code ?? e.message));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (e: NodeJS.ErrnoException) => finish(false, e.code ?? e.message));
    req.end();
  };
  const timer = setInterval(one, 1000 / perSecond);
  return {
    tally,
    okAfter(n, waitMs = 10_000) {
      return new Promise((resolve, reject) => {
        const w = {
          at: tally.ok + n,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        };
        const t = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`open-loop client: ${n} successful requests not seen within ${waitMs} ms`));
        }, waitMs);
        t.unref();
        waiters.add(w);
      });
    },
    stop() {
      clearInterval(timer);
      return new Promise((resolve) => {
        if (inFlight === 0) resolve(tally);
        else idle = () => resolve(tally);
      });
    },
  };
}
