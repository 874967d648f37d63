// The health listener alone (/livez /readyz /startupz /metrics), the entry of its own bundle
// (dist/runtime-http.cjs), which tend-runtime loads instead of the whole HTTP layer (container/health.ts). The
// same code as the daemon's health listener: listener.ts, serve-health.ts and the metrics, with none of the
// API's routes, tokens, sessions, streams or dashboard files (nor node:crypto, which only tokens need): they
// cost a runtime 0.9 MiB of RSS for endpoints it never serves (47.1 -> 46.2 MiB, measured 2026-12-04).
import type { DaemonContext } from '../daemon/context.js';
import { type MetricsService, openMetrics } from '../metrics/index.js';
import { TendError } from '../protocol/errors.js';
import { type ListenAddress, parseListen } from '../settings/address.js';
import type { BoundAddress } from './bind.js';
import { type Listener, listen } from './listener.js';
import { serveHealth } from './serve-health.js';
import type { ApiServices, ListenerInfo } from './types.js';

export interface HealthLayer {
  /** Serves the health endpoints on `listen`, or on the address already bound there. TEND_ERR_HTTP_LISTEN. */
  listen(spec: { listen: string; bound?: BoundAddress }): Promise<ListenerInfo>;
  close(): Promise<void>;
}

/** What the health routes never ask for: the API listener's services. */
const notHere = (what: string): never => {
  throw new TendError('TEND_ERR_INTERNAL', { detail: `the health listener has no ${what}` });
};

export function openHealthHttp(daemon: DaemonContext): HealthLayer {
  let metrics: MetricsService | null = null;
  let listener: Listener | null = null;
  const api: ApiServices = {
    daemon,
    metrics: () => {
      metrics ??= openMetrics(daemon, { rollupOnly: false });
      return metrics;
    },
    call: () => notHere('protocol calls'),
    get sessions(): never {
      return notHere('sessions');
    },
    tokens: () => notHere('tokens'),
    streams: () => notHere('event streams'),
    listeners: () => (listener ? [{ kind: 'health', url: listener.url }] : []),
  };
  return {
    async listen(spec) {
      if (listener)
        throw new TendError('TEND_ERR_INTERNAL', { detail: 'the health listener is open already' });
      const address = parseListen(spec.listen) as ListenAddress;
      const log = (line: string) => daemon.log(line);
      listener = await listen('health', address, serveHealth({ api, log }), spec.bound);
      daemon.log(`HTTP health listener on ${listener.url}`);
      return { kind: 'health', url: listener.url };
    },
    async close() {
      metrics?.close();
      metrics = null;
      const l = listener;
      listener = null;
      await l?.close();
    },
  };
}
