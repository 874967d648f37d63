// /livez, /readyz, /startupz (issue 14): the daemon's and its apps' health for a kubelet or a load balancer.
// CONTRACT STUB written by the lead: the metrics helper replaces the implementation, keeping these names.
import type { DaemonContext } from '../daemon/context.js';
import type { Exposition } from './index.js';

export type HealthEndpoint = 'livez' | 'readyz' | 'startupz';

/** The answer to GET /<which>[?verbose]: 200 or 503, plain text (a line per app with `verbose`). */
export function healthEndpoint(_daemon: DaemonContext, which: HealthEndpoint, _verbose: boolean): Exposition {
  return { status: 501, contentType: 'text/plain; charset=utf-8', body: `${which} is not built yet\n` };
}
