// tend-runtime's /livez /readyz /startupz /metrics: THE daemon's health listener (src/http's listener.ts and
// serve-health.ts, the endpoints of src/metrics), from its own bundle, dist/runtime-http.cjs (http/health-
// layer.ts: the health listener without the API's routes, tokens and sessions), loaded only when
// --health-listen is not `off`: a runtime without it never loads node:http or prom-client.
// In two steps: the address is bound before any app is spawned (node:net only; an address the runtime cannot
// bind fails it before any app ran), and the HTTP layer (node:http and the endpoints) is loaded when the first
// connection comes (serveHealthOnDemand): a container nobody probes or scrapes (plain `docker run`, compose
// without a healthcheck, a systemd unit) never loads it, and the apps' start does not share the CPU with it.
// That first connection waits in the bound server, paused, and is answered once the layer has taken the
// server over: 10–25 ms measured, against 1–2.5 ms once loaded, far within any probe's timeout (/readyz
// answers 503 until the apps are ready).
import type { DaemonContext } from '../daemon/context.js';
import { type BoundAddress, bindAddress } from '../http/bind.js';
import { isTendError, TendError } from '../protocol/errors.js';
import { requireBundle } from '../runtime/bundle.js';
import { formatAddress, type ListenAddress, parseListen } from '../settings/address.js';

export interface HealthListener {
  url: string;
  close(): Promise<void>;
}

/** The health address, bound; nothing served yet (see serveHealth). */
export interface HealthAddress {
  readonly url: string;
  readonly listen: string;
  readonly bound: BoundAddress;
}

type HealthModule = typeof import('../http/health-layer.js');

/** dist/runtime-http.cjs beside dist/runtime.cjs; from source (tests through tsx), the module itself. */
function loadHealthModule(): HealthModule {
  return requireBundle<HealthModule>(import.meta.url, 'runtime-http.cjs', '../http/health-layer.js');
}

/** Binds `listen` (validated by args.ts). Throws TEND_ERR_HTTP_LISTEN when it cannot be bound. */
export async function bindHealth(listen: string): Promise<HealthAddress> {
  const address = parseListen(listen) as ListenAddress;
  const bound = await bindAddress('health', address);
  return { url: `http://${formatAddress(address)}/`, listen, bound };
}

/** Loads the HTTP layer and serves the health endpoints on the bound address. */
export async function serveHealth(ctx: DaemonContext, at: HealthAddress): Promise<HealthListener> {
  let layer: ReturnType<HealthModule['openHealthHttp']> | null = null;
  try {
    layer = loadHealthModule().openHealthHttp(ctx);
    const info = await layer.listen({ listen: at.listen, bound: at.bound });
    const opened = layer;
    return { url: info.url, close: () => opened.close() };
  } catch (err) {
    await layer?.close();
    at.bound.close();
    // The bundle has its own TendError class: make it ours, so the runtime reports its code.
    throw isTendError(err) && !(err instanceof TendError) ? TendError.fromWire(err.toWire()) : err;
  }
}

/**
 * Serves the health endpoints from the first connection on: the HTTP layer is loaded then (see the top of
 * this file). A failure to load it is given to `failed` (the caller decides whether it is fatal).
 */
export function serveHealthOnDemand(
  ctx: DaemonContext,
  at: HealthAddress,
  failed: (err: unknown) => void,
): HealthListener {
  let serving: Promise<HealthListener | null> | null = null;
  const load = () => {
    serving ??= serveHealth(ctx, at).catch((err: unknown) => {
      failed(err);
      return null;
    });
  };
  at.bound.server.once('connection', load);
  return {
    url: at.url,
    async close() {
      at.bound.server.off('connection', load);
      if (serving === null) {
        at.bound.close();
        return;
      }
      await (await serving)?.close();
    },
  };
}
