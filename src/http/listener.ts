// One TCP listener of node:http, bounded like the socket: a request's headers within 10 s and the whole
// request within 30 s, idle keep-alive connections closed after 5 s and after 1000 requests, at most 128
// connections (SSE streams included), 16 KiB of headers. Binding errors become TEND_ERR_HTTP_LISTEN naming
// the address and what to do (bind.ts). It binds the address itself, or takes over one bound ahead (bind.ts).
// The Date header is written here, not by node:http: node's own (toUTCString, and the local getMilliseconds
// of its cache) makes V8 read ICU's time-zone data at the first response, ~0.9 MiB of RSS kept for good
// (runtime/utc-time.ts): in the daemon, and in tend-runtime at a kubelet's first probe.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { httpDate } from '../runtime/utc-time.js';
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
      res.sendDate = false;
      res.setHeader('Date', httpDate());
      handler(req, res);
    },
  );
  server.maxConnections = MAX_CONNECTIONS;
  server.maxRequestsPerSocket = 1000;
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
