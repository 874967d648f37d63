// One webhook delivery: a POST with node:http(s) (no fetch: it would load undici, ~1 MiB more in a daemon
// that has no other use for it), bounded in time by the hook's timeout, retried on what may pass (no answer,
// a timeout, 408, 429, 5xx) up to 3 tries, 1 s then 2 s apart, by the injected clock. Redirects are not
// followed: a webhook URL that moved is a configuration to fix, and a body must not follow a redirect to
// another host. The answer's body is never read.
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { extraCaFor } from '../runtime/extra-ca.js';
import type { Clock } from '../supervisor/ports.js';
import type { Outgoing } from './payload.js';

export const TRIES = 3;
export const BACKOFF_MS = 1000;

export interface PostResult {
  readonly ok: boolean;
  /** Worth another try (no answer, a timeout, 408, 429, 5xx). */
  readonly retry: boolean;
  /** `HTTP 200`, `timeout after 5000 ms`, `connect ECONNREFUSED 127.0.0.1:1`. */
  readonly detail: string;
}

/** One try. Never rejects. */
export function post(
  url: string,
  out: Outgoing,
  timeoutMs: number,
  clock: Clock,
  signal: AbortSignal,
): Promise<PostResult> {
  return new Promise((resolve) => {
    let done = false;
    let req: http.ClientRequest | null = null;
    const finish = (r: PostResult): void => {
      if (done) return;
      done = true;
      timer.cancel();
      signal.removeEventListener('abort', onAbort);
      req?.destroy();
      resolve(r);
    };
    const onAbort = (): void => finish({ ok: false, retry: false, detail: 'the daemon is stopping' });
    const timer = clock.setTimer(timeoutMs, () =>
      finish({ ok: false, retry: true, detail: `timeout after ${timeoutMs} ms` }),
    );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const target = new URL(url);
      const mod = target.protocol === 'https:' ? https : http;
      req = mod.request(target, {
        method: 'POST',
        headers: { ...out.headers, 'content-length': String(Buffer.byteLength(out.body)) },
        // One connection per delivery: alerts are rare, a kept-alive socket per receiver is not worth it.
        agent: false,
        // NODE_EXTRA_CA_CERTS: the daemon's Node started without it (runtime/extra-ca.ts).
        ...(target.protocol === 'https:' ? caOption() : {}),
      });
    } catch (err) {
      return finish({ ok: false, retry: false, detail: err instanceof Error ? err.message : String(err) });
    }
    req.on('error', (err) => finish({ ok: false, retry: true, detail: err.message }));
    req.on('response', (res) => {
      // The status is the answer; the body is not wanted (finish() closes the connection).
      res.resume();
      finish(verdict(res.statusCode ?? 0));
    });
    req.end(out.body);
  });
}

function verdict(status: number): PostResult {
  const detail = `HTTP ${status}`;
  if (status >= 200 && status < 300) return { ok: true, retry: false, detail };
  if (status >= 300 && status < 400)
    return { ok: false, retry: false, detail: `${detail} (redirects are not followed)` };
  return { ok: false, retry: status === 408 || status === 429 || status >= 500, detail };
}

/** Up to TRIES tries; `retrying` is told each failed try that gets another. */
export async function deliver(
  url: string,
  out: Outgoing,
  timeoutMs: number,
  clock: Clock,
  signal: AbortSignal,
  retrying: (attempt: number, detail: string) => void,
): Promise<PostResult & { attempt: number }> {
  for (let attempt = 1; ; attempt++) {
    const r = await post(url, out, timeoutMs, clock, signal);
    if (r.ok || !r.retry || attempt >= TRIES || signal.aborted) return { ...r, attempt };
    retrying(attempt, r.detail);
    await pause(clock, BACKOFF_MS * 2 ** (attempt - 1), signal);
  }
}

function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.setTimer(ms, () => {
      signal.removeEventListener('abort', stop);
      resolve();
    });
    const stop = (): void => {
      timer.cancel();
      resolve();
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

function caOption(): { ca?: string[] } {
  const ca = extraCaFor(rootCertificates);
  return ca === undefined ? {} : { ca };
}
