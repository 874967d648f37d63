// tend-runtime's /livez /readyz /startupz /metrics: THE daemon's health listener (src/http's `health` kind, the
// endpoints of src/metrics), loaded from dist/daemon-http.cjs as the daemon loads it (daemon/http-control.ts),
// and only when --health-listen is not `off`: a runtime without it never loads node:http or prom-client.
// In two steps, so that the apps start as early as they can: the address is bound before any app is spawned
// (node:net only; an address the runtime cannot bind fails it before any app ran), and the HTTP layer is
// loaded and takes the bound server over right after the spawns, while the apps boot. A probe that connects
// in between waits in the bound server and is answered once the layer is there (/readyz 503: not ready yet).
import type { DaemonContext } from '../daemon/context.js';
import { loadHttpModule } from '../daemon/http-control.js';
import { type BoundAddress, bindAddress } from '../http/bind.js';
import type { Dispatch } from '../http/types.js';
import { isTendError, TendError } from '../protocol/errors.js';
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

/** The health listener never dispatches protocol requests; the API listener, which does, is not opened. */
const noDispatch: Dispatch = async () => {
  throw new TendError('TEND_ERR_INTERNAL', { detail: 'the health listener does not dispatch requests' });
};

/** Binds `listen` (validated by args.ts). Throws TEND_ERR_HTTP_LISTEN when it cannot be bound. */
export async function bindHealth(listen: string): Promise<HealthAddress> {
  const address = parseListen(listen) as ListenAddress;
  const bound = await bindAddress('health', address);
  return { url: `http://${formatAddress(address)}/`, listen, bound };
}

/** Loads the HTTP layer and serves the health endpoints on the bound address. */
export async function serveHealth(ctx: DaemonContext, at: HealthAddress): Promise<HealthListener> {
  let layer: ReturnType<ReturnType<typeof loadHttpModule>['openHttp']> | null = null;
  try {
    layer = loadHttpModule().openHttp({ daemon: ctx, dispatch: noDispatch }, { rollupOnly: false });
    const info = await layer.listen('health', { listen: at.listen, bound: at.bound });
    const opened = layer;
    return { url: info.url, close: () => opened.close() };
  } catch (err) {
    await layer?.close();
    at.bound.close();
    // The bundle has its own TendError class: make it ours, so the runtime reports its code.
    throw isTendError(err) && !(err instanceof TendError) ? TendError.fromWire(err.toWire()) : err;
  }
}
