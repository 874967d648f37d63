// One TCP listener of node:http, bounded like the socket: a request's headers within 10 s and the whole
// request within 30 s, idle keep-alive connections closed after 5 s and after 1000 requests, at most 128
// connections (SSE streams included), 16 KiB of headers. A connection beyond 128 is not refused while
// another one is idle (connected without a request under way: a keep-alive one, or one that has not sent
// its request): the idle one that has been quiet longest gives way (third audit: 128 idle connections,
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
  // Insertion order is no help (a keep-alive connection may be old and just used): the last activity is.
  const quietSince = new Map<Socket, number>();
  const answers = new Map<Socket, Set<ServerResponse>>();
  const serving = (s: Socket) => [...(answers.get(s) ?? [])].some((res) => !res.writableEnded);
  // Before the handler: a request on a connection closed here is not worked on (listen() checks).
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const live = answers.get(socket) ?? new Set<ServerResponse>();
    answers.set(socket, live);
    live.add(res);
    if (live.size > MAX_PIPELINED) {
      socket.destroy();
      return;
    }
    res.once('close', () => {
      live.delete(res);
      if (quietSince.has(socket)) quietSince.set(socket, monotonicMs());
    });
  });
  server.on('connection', (socket: Socket) => {
    quietSince.set(socket, monotonicMs());
    socket.once('close', () => {
      quietSince.delete(socket);
      answers.delete(socket);
    });
    if (quietSince.size <= max) return;
    // From the address that holds the most connections (one client opening many: an attacker's, not the
    // kubelet's or Prometheus's), the quietest idle one (fourth audit: a flood of fresh idle connections
    // evicted a slow but legitimate client's).
    const held = new Map<string | undefined, number>();
    for (const s of quietSince.keys()) held.set(s.remoteAddress, (held.get(s.remoteAddress) ?? 0) + 1);
    let victim: Socket | null = null;
    let rank = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    for (const [s, t] of quietSince) {
      if (s === socket || serving(s)) continue;
      const count = held.get(s.remoteAddress) ?? 0;
      if (count > (rank[0] as number) || (count === rank[0] && t < (rank[1] as number))) {
        victim = s;
        rank = [count, t];
      }
    }
    (victim ?? socket).destroy();
    // Gone from the count now: 'close' comes on a later turn, and a burst must not evict twice for one.
    quietSince.delete(victim ?? socket);
  });
}
