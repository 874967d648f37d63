// The Unix-socket transport: NDJSON framing, the frame size limit, the time bounds of a connection,
// backpressure, and connection bookkeeping. What a request means is dispatch.ts's business. A bad peer costs
// itself its connection, never the daemon: every way out of a connection ends in destroy() within a bound,
// so `server.close()` (and with it `tend kill`) can never wait on a peer.
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { TendError } from '../protocol/errors.js';
import { encodeFrame, LineDecoder, MAX_REQUEST_FRAME } from '../protocol/framing.js';
import type { ConnectionContext, DaemonContext } from './context.js';
import { dispatchLine, type RequestContext } from './dispatch.js';

/** A subscriber that does not read its events is cut off past this many queued bytes. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/**
 * How long a connection may go without its hello, or keep a frame unfinished (bytes without a newline).
 * TEND_REQUEST_TIMEOUT_MS overrides it (tests); docs/protocol.md documents it.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** After a last error frame, how long the peer has to take it before the connection is destroyed. */
const FLUSH_MS = 1_000;

export interface SocketServer {
  server: Server;
  /** Stops accepting, lets queued replies drain (briefly), then ends every connection, for sure. */
  close(): Promise<void>;
}

export interface SocketServerOptions {
  requestTimeoutMs?: number;
}

export function requestTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.TEND_REQUEST_TIMEOUT_MS);
  return Number.isSafeInteger(v) && v > 0 ? v : DEFAULT_REQUEST_TIMEOUT_MS;
}

export function createSocketServer(ctx: DaemonContext, opts: SocketServerOptions = {}): SocketServer {
  const timeoutMs = opts.requestTimeoutMs ?? requestTimeoutFromEnv();
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: false }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, ctx, timeoutMs);
  });
  server.on('error', (err) => ctx.log(`socket server error: ${err.message}`));
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.end();
        // end() waits for the peer's FIN; a peer that neither reads nor hangs up must not hold the exit.
        const t = setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, FLUSH_MS);
        server.once('close', () => clearTimeout(t));
      }),
  };
}

/** Listens with a private mode from the first instant (umask), then makes sure of it (chmod). */
export function listenPrivately(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const old = process.umask(0o177);
    server.once('error', reject);
    server.listen(path, () => {
      process.umask(old);
      server.off('error', reject);
      chmodSync(path, 0o600);
      resolve();
    });
  });
}

function serve(socket: Socket, daemon: DaemonContext, timeoutMs: number): void {
  socket.setEncoding('utf8');
  const decoder = new LineDecoder(MAX_REQUEST_FRAME);
  const closers: (() => void)[] = [];
  const send = (frame: unknown) => {
    if (socket.destroyed || !socket.writable) return;
    socket.write(encodeFrame(frame));
    if (socket.writableLength > MAX_QUEUED_BYTES) {
      daemon.log(`a client read too slowly (${socket.writableLength} bytes queued): disconnected`);
      socket.destroy();
    }
  };
  const connection: ConnectionContext = {
    helloGate: true,
    greeted: false,
    sendEvent: send,
    onClose: (fn) => closers.push(fn),
    backlog: () => socket.writableLength,
  };
  const ctx: RequestContext = { daemon, connection };

  // The peer's last chance: one error frame, our side ended, and destroy() after a bounded flush. The socket
  // keeps flowing (never paused), so whatever the peer still sends is read and dropped and its close is seen.
  let refused = false;
  let helloTimer: NodeJS.Timeout | undefined;
  let frameTimer: NodeJS.Timeout | undefined;
  const hangUp = (err: TendError) => {
    if (refused) return;
    refused = true;
    clearTimeout(helloTimer);
    clearTimeout(frameTimer);
    send({ id: null, error: err.toWire() });
    socket.end();
    const t = setTimeout(() => socket.destroy(), FLUSH_MS);
    socket.once('close', () => clearTimeout(t));
  };

  helloTimer = setTimeout(() => {
    if (!connection.greeted)
      hangUp(
        new TendError('TEND_ERR_CONNECTION_TIMEOUT', { after_ms: timeoutMs, waiting_for: 'daemon.hello' }),
      );
  }, timeoutMs);
  const frameTimeout = () =>
    hangUp(
      new TendError('TEND_ERR_CONNECTION_TIMEOUT', {
        after_ms: timeoutMs,
        waiting_for: 'the end of a frame',
      }),
    );

  socket.on('data', (chunk: string) => {
    if (refused) return;
    const { lines, overflow } = decoder.push(chunk);
    if (overflow) return hangUp(new TendError('TEND_ERR_FRAME_TOO_LARGE', { limit: MAX_REQUEST_FRAME }));
    // A frame's clock starts with its first byte: a completed line starts the next frame's afresh.
    if (lines.length > 0 || decoder.pendingBytes === 0) {
      clearTimeout(frameTimer);
      frameTimer = undefined;
    }
    if (decoder.pendingBytes > 0 && frameTimer === undefined)
      frameTimer = setTimeout(frameTimeout, timeoutMs);
    // In order and synchronously up to each handler's first await (see dispatch: pipelined hello).
    for (const line of lines) void dispatchLine(ctx, line).then(send);
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    clearTimeout(helloTimer);
    clearTimeout(frameTimer);
    for (const fn of closers) fn();
  });
}
