// Loaded into every cluster worker before the app (`--require dist/cluster-worker.cjs`, put first in the
// workers' execArgv by the primary). It changes one thing, and only while tend is stopping the worker (the
// primary disconnects it: for a reload, a stop, a scale-down): how the app's HTTP servers close.
//
// Node's server.close() (>= 19) cuts every idle keep-alive connection at once, and leaves busy ones open
// until they go idle on their own, which a busy client never lets happen: a keep-alive client then sees a
// reset, either right away (a request it had just sent on an "idle" connection) or at kill_timeout (SIGKILL).
// While draining, instead, every response written from now on says `Connection: close` and ends its
// connection, and idle connections get a grace period to send one more request before they are closed. A
// client that honours `Connection: close` (every HTTP client) loses nothing; it reconnects, and the primary
// hands the new connection to another worker.
//
// Must stay dependency-free and CommonJS: it runs on the app's Node version, before the app's own loaders.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

/** How long an idle keep-alive connection may still send a request once draining began. */
const IDLE_GRACE_MS = 1000;

let draining = false;

// The primary's worker.disconnect() arrives as an internal cluster message; the cluster module closes the
// servers when it handles it. Prepended, so the flag is set before that, whatever the listeners' order.
process.prependListener('internalMessage' as 'message', (message: unknown) => {
  const m = message as { cmd?: unknown; act?: unknown } | null;
  if (m?.cmd === 'NODE_CLUSTER' && m.act === 'disconnect') draining = true;
});

const writeHead = http.ServerResponse.prototype.writeHead;
http.ServerResponse.prototype.writeHead = function (this: http.ServerResponse, ...args: unknown[]) {
  if (draining) this.shouldKeepAlive = false;
  return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
} as typeof writeHead;

for (const [Server, Base] of [
  [http.Server, net.Server],
  [https.Server, tls.Server],
] as const) {
  const close = Server.prototype.close;
  Server.prototype.close = function (this: http.Server, ...args: unknown[]) {
    if (!draining) return (close as (...a: unknown[]) => http.Server).apply(this, args);
    // What Node's close does, minus cutting the idle connections now: stop accepting...
    (Base.prototype.close as (...a: unknown[]) => unknown).apply(this, args);
    // ...then close the connections still idle after the grace period, and again until the last is gone
    // (a response whose headers were sent before draining began leaves its connection open after it).
    const timer = setInterval(() => this.closeIdleConnections(), IDLE_GRACE_MS);
    timer.unref();
    this.once('close', () => clearInterval(timer));
    return this;
  } as typeof close;
}
