// One TCP listener of node:http, bounded like the socket: a request's headers within 10 s and the whole
// request within 30 s, idle keep-alive connections closed after 5 s and after 1000 requests, at most 128
// connections (SSE streams included), 16 KiB of headers. A connection beyond 128 is not refused while
// another one is idle: an idle one gives way (boundConnections; third audit: 128 idle connections,
// reopened as node's timeouts cut them, kept every probe and scrape out; the health listener has no
// token, and tend export k8s binds it on 0.0.0.0). Binding errors become TEND_ERR_HTTP_LISTEN naming
// the address and what to do (bind.ts). It binds the address itself, or takes over one bound ahead (bind.ts).
// The Date header is written here, not by node:http: node's own (toUTCString, and the local getMilliseconds
// of its cache) makes V8 read ICU's time-zone data at the first response, ~0.9 MiB of RSS kept for good
// (runtime/utc-time.ts): in the daemon, and in tend-runtime at a kubelet's first probe.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { httpDate, monotonicMs } from '../runtime/utc-time.js';
import { formatAddress, type ListenAddress } from '../settings/address.js';
import { type BoundAddress, listenError } from './bind.js';
import type { ListenerKind } from './types.js';

export const MAX_CONNECTIONS = 128;

export interface Listener {
  readonly kind: ListenerKind;
  readonly address: ListenAddress;
  readonly url: string;
  close(): Promise<void>;
}

export function listen(
  kind: ListenerKind,
  address: ListenAddress,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  bound?: BoundAddress,
): Promise<Listener> {
  const server: Server = createServer(
    { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, maxHeaderSize: 16 * 1024 },
    (req, res) => {
      // Closed by boundConnections (too many pipelined requests): nothing to answer.
      if (req.socket.destroyed) return;
      res.sendDate = false;
      res.setHeader('Date', httpDate());
      handler(req, res);
    },
  );
  server.maxRequestsPerSocket = 1000;
  boundConnections(server, MAX_CONNECTIONS);
  const text = formatAddress(address);
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(kind, text, err)));
    const onListening = () => {
      server.removeAllListeners('error');
      // Errors after binding (a client's bad bytes) are the connection's, never the daemon's.
      server.on('error', () => {});
      server.on('clientError', (_err, socket) => {
        if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
        else socket.destroy();
      });
      resolve({
        kind,
        address,
        url: `http://${text}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Open SSE streams and idle keep-alive connections must not hold the close.
            server.closeAllConnections();
          }),
      });
    };
    if (!bound) {
      server.listen({ host: address.host, port: address.port, exclusive: true }, onListening);
      return;
    }
    // The bound server's handle becomes this server's (node's listen(handle)); what it accepted meanwhile is
    // served as if accepted here.
    server.listen(bound.server, () => {
      onListening();
      for (const socket of bound.takeEarly()) {
        server.emit('connection', socket);
        socket.resume();
      }
    });
  });
}

/** Requests one connection may have waiting for their answers (HTTP/1.1 pipelining) before it is closed. */
export const MAX_PIPELINED = 8;

/**
 * At most `max` connections, and room for a new one whenever one is idle: past `max`, an idle connection is
 * closed, from the remote address holding the most connections, the one quiet the longest there (by its
 * last request, or its connect); only when every connection is serving
 * a request (an SSE stream, a slow answer) is the new one closed instead. A connection whose answers are all
 * written (the client may not be reading them) counts as idle. A connection with more than MAX_PIPELINED
 * requests waiting for their answers is closed: pipelined requests are answered in turn and their answers
 * held in memory until the client reads them (fourth audit: 5000 pipelined /metrics on one connection that
 * never read held 400 MB, and 140 of them kept every probe out).
 */
export function boundConnections(server: Server, max: number): void {
  // Each connection: when it was last active (its connect, or its last answer ended: insertion order is no
  // help, a keep-alive connection may be old and just used), and its answers not closed yet.
  const open = new Map<Socket, { since: number; answers: Set<ServerResponse> }>();
  const serving = (s: Socket) => [...(open.get(s)?.answers ?? [])].some((res) => !res.writableEnded);
  // Before the handler: a request on a connection closed here is not worked on (listen() checks).
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const conn = open.get(req.socket);
    if (!conn) return;
    conn.answers.add(res);
    if (conn.answers.size > MAX_PIPELINED) {
      req.socket.destroy();
      return;
    }
    res.once('close', () => {
      conn.answers.delete(res);
      conn.since = monotonicMs();
    });
  });
  server.on('connection', (socket: Socket) => {
    open.set(socket, { since: monotonicMs(), answers: new Set() });
    socket.once('close', () => open.delete(socket));
    if (open.size <= max) return;
    // From the address that holds the most connections (one client opening many: an attacker's, not the
    // kubelet's or Prometheus's), the quietest idle one (fourth audit: a flood of fresh idle connections
    // evicted a slow but legitimate client's).
    const held = new Map<string | undefined, number>();
    for (const s of open.keys()) held.set(s.remoteAddress, (held.get(s.remoteAddress) ?? 0) + 1);
    let victim: Socket = socket;
    let most = 0;
    let quietest = Number.POSITIVE_INFINITY;
    for (const [s, { since }] of open) {
      if (s === socket || serving(s)) continue;
      const count = held.get(s.remoteAddress) ?? 0;
      if (count > most || (count === most && since < quietest)) {
        victim = s;
        most = count;
        quietest = since;
      }
    }
    victim.destroy();
    // Gone from the count now: 'close' comes on a later turn, and a burst must not evict twice for one.
    open.delete(victim);
  });
}
