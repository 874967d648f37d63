// Binding a listener's address, apart from node:http and the rest of the HTTP layer: tend-runtime binds its
// health address before it starts the apps (an address it cannot bind is then fatal before any app ran), and
// loads the HTTP layer only once the apps are spawned (src/container/health.ts), handing it the bound
// server (listener.ts). Binding errors become TEND_ERR_HTTP_LISTEN naming the address and what to do.
import { createServer, type Server, type Socket } from 'node:net';
import { TendError } from '../protocol/errors.js';
import { formatAddress, type ListenAddress } from '../settings/address.js';
import type { ListenerKind } from './types.js';

/** An address bound ahead of the HTTP layer; listener.ts takes it over. */
export interface BoundAddress {
  readonly address: ListenAddress;
  readonly server: Server;
  /**
   * The connections accepted before the HTTP layer took the server over (paused: nothing of them is read),
   * each handed over once. Later ones go straight to the HTTP server.
   */
  takeEarly(): Socket[];
  /** Closes the server and the early connections, when the HTTP layer never took it over. */
  close(): void;
}

export function bindAddress(kind: ListenerKind, address: ListenAddress): Promise<BoundAddress> {
  const early: Socket[] = [];
  const keep = (socket: Socket) => early.push(socket);
  const server = createServer({ pauseOnConnect: true }, keep);
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(listenError(kind, formatAddress(address), err)),
    );
    server.listen({ host: address.host, port: address.port, exclusive: true }, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      resolve({
        address,
        server,
        takeEarly: () => {
          server.off('connection', keep);
          return early.splice(0);
        },
        close: () => {
          server.close();
          for (const s of early.splice(0)) s.destroy();
        },
      });
    });
  });
}

export function listenError(kind: ListenerKind, address: string, err: NodeJS.ErrnoException): TendError {
  const flag =
    kind === 'api'
      ? '"tend web --port N", or http.listen in tend.config.yaml'
      : 'health.listen in tend.config.yaml';
  const [reason, fix] =
    err.code === 'EADDRINUSE'
      ? [
          'the address is already in use (EADDRINUSE)',
          `another program listens there: choose another port (${flag})`,
        ]
      : err.code === 'EACCES'
        ? ['permission denied (EACCES)', 'ports below 1024 need privileges: choose a port above 1024']
        : err.code === 'EADDRNOTAVAIL'
          ? [
              'no such address on this machine (EADDRNOTAVAIL)',
              'use an address of this machine, e.g. 127.0.0.1',
            ]
          : [`${err.message} (${err.code ?? 'error'})`, `check the address (${flag})`];
  return new TendError('TEND_ERR_HTTP_LISTEN', { kind, address, reason, fix });
}
