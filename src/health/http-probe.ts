// The http_get probe: one GET, success on any 2xx or 3xx status (redirects are not followed: a 302 to a
// login page means the server answers). Plain http goes over a bare socket (http-wire.ts: node:http's client
// costs about twice the CPU); https over node:https with no keep-alive agent, so no socket outlives the run.
import type https from 'node:https';
import { createRequire } from 'node:module';
import type { ProbeHandler } from '../config/spec.js';
import { wireGet } from './http-wire.js';
import type { ProbeResult, ProbeTarget } from './probe-types.js';
import { messageOf, socketRun } from './run-outcome.js';

type HttpGet = Extract<ProbeHandler, { http_get: unknown }>['http_get'];

export function runHttpProbe(
  get: HttpGet,
  target: ProbeTarget,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  return socketRun(get.port, target, timeoutMs, signal, (port, finish) => {
    if (get.scheme === 'http') return wireGet(get, port, finish);
    const options: https.RequestOptions = {
      host: get.host,
      port,
      path: get.path,
      method: 'GET',
      // Header names are case-insensitive: the user's own User-Agent replaces ours.
      headers: { 'user-agent': 'tend-probe', ...get.headers },
      agent: false,
      // As Kubernetes does, an https probe does not verify the certificate: it asks "does it answer", and an
      // app on 127.0.0.1 rarely has a certificate for that name.
      rejectUnauthorized: false,
    };
    const req = httpsClient().request(options);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      // The body is not read: destroying the response frees the socket at once.
      res.destroy();
      finish({ ok: status >= 200 && status < 400, output: `HTTP ${status}`, error: null });
    });
    // Stays attached after the verdict: destroy() may still emit 'error' (socket hang up), which must not throw.
    req.on('error', (err) => finish({ ok: false, output: messageOf(err), error: messageOf(err) }));
    req.end();
    return req;
  });
}

/**
 * node:https is required on the first https probe, not when the daemon starts: a daemon whose apps have no
 * https probe never loads it (the footprint rows of docs/performance.md are guards).
 */
function httpsClient(): typeof https {
  loaded ??= createRequire(import.meta.url)('node:https') as typeof https;
  return loaded;
}
let loaded: typeof https | undefined;
