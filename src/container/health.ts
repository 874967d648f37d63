// tend-runtime's /livez /readyz /startupz /metrics: THE daemon's health listener (src/http's `health` kind, the
// endpoints of src/metrics), loaded from dist/daemon-http.cjs as the daemon loads it (daemon/http-control.ts),
// and only when --health-listen is not `off`: a runtime without it never loads node:http or prom-client.
import type { DaemonContext } from '../daemon/context.js';
import { loadHttpModule } from '../daemon/http-control.js';
import type { Dispatch } from '../http/types.js';
import { isTendError, TendError } from '../protocol/errors.js';

export interface HealthListener {
  url: string;
  close(): Promise<void>;
}

/** The health listener never dispatches protocol requests; the API listener, which does, is not opened. */
const noDispatch: Dispatch = async () => {
  throw new TendError('TEND_ERR_INTERNAL', { detail: 'the health listener does not dispatch requests' });
};

/** Throws TEND_ERR_HTTP_LISTEN (as the runtime's TendError) when the address cannot be bound. */
export async function startHealthListener(ctx: DaemonContext, listen: string): Promise<HealthListener> {
  const layer = loadHttpModule().openHttp({ daemon: ctx, dispatch: noDispatch }, { rollupOnly: false });
  try {
    const info = await layer.listen('health', { listen });
    return { url: info.url, close: () => layer.close() };
  } catch (err) {
    await layer.close();
    // The bundle has its own TendError class: make it ours, so the runtime reports its code.
    throw isTendError(err) && !(err instanceof TendError) ? TendError.fromWire(err.toWire()) : err;
  }
}
