// The socket server: NDJSON frames in, replies and events out. The daemon is the trust boundary: every
// frame is size-limited, parsed and validated here before a handler sees it, and no bad frame takes the
// daemon down or disturbs another connection.
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { TendError } from '../protocol/errors.js';
import { encodeFrame, LineDecoder, MAX_REQUEST_FRAME } from '../protocol/framing.js';
import { type MethodName, methods } from '../protocol/methods/index.js';
import type { ConnectionContext, DaemonContext } from './context.js';
import { handlers } from './handlers/index.js';
import { describeIssues } from './issues.js';

/** A subscriber that does not read its events is cut off past this many queued bytes. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export interface SocketServer {
  server: Server;
  /** Stops accepting, lets queued replies drain, then ends every connection. */
  close(): Promise<void>;
}

export function createSocketServer(ctx: DaemonContext): SocketServer {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: false }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, ctx);
  });
  server.on('error', (err) => ctx.log(`socket server error: ${err.message}`));
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.end();
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

function serve(socket: Socket, ctx: DaemonContext): void {
  socket.setEncoding('utf8');
  const decoder = new LineDecoder(MAX_REQUEST_FRAME);
  let greeted = false;
  const closers: (() => void)[] = [];
  const send = (frame: unknown) => {
    if (socket.destroyed || !socket.writable) return;
    socket.write(encodeFrame(frame));
    if (socket.writableLength > MAX_QUEUED_BYTES) socket.destroy();
  };
  const conn: ConnectionContext = {
    sendEvent: send,
    onClose: (fn) => closers.push(fn),
    backlog: () => socket.writableLength,
  };
  const fail = (id: number | null, err: TendError) => send({ id, error: err.toWire() });

  let refused = false;
  socket.on('data', (chunk: string) => {
    if (refused) return;
    const { lines, overflow } = decoder.push(chunk);
    if (overflow) {
      // Stop reading: the peer may be streaming a huge frame; tell it why, then hang up.
      refused = true;
      socket.pause();
      fail(null, new TendError('TEND_ERR_FRAME_TOO_LARGE', { limit: MAX_REQUEST_FRAME }));
      socket.end();
      return;
    }
    for (const line of lines) handleLine(line);
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    for (const fn of closers) fn();
  });

  function handleLine(line: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(line);
    } catch {
      return void fail(null, new TendError('TEND_ERR_BAD_REQUEST', { detail: 'frame is not valid JSON' }));
    }
    if (!isRequest(frame)) {
      return void fail(
        null,
        new TendError('TEND_ERR_BAD_REQUEST', {
          detail: 'a request is {"id": <integer>, "method": <string>, "params": …}',
        }),
      );
    }
    const { id, method } = frame;
    if (!Object.hasOwn(methods, method))
      return void fail(id, new TendError('TEND_ERR_UNKNOWN_METHOD', { method }));
    const name = method as MethodName;
    if (!greeted && name !== 'daemon.hello') {
      return void fail(
        id,
        new TendError('TEND_ERR_BAD_REQUEST', { detail: 'the first request must be daemon.hello' }),
      );
    }
    const parsed = methods[name].params().safeParse(frame.params ?? {});
    if (!parsed.success) {
      return void fail(
        id,
        new TendError('TEND_ERR_BAD_REQUEST', { detail: `${method}: ${describeIssues(parsed.error)}` }),
      );
    }
    if (name === 'daemon.hello') greeted = true;
    else if (ctx.isShuttingDown()) return void fail(id, new TendError('TEND_ERR_SHUTTING_DOWN'));
    run(id, name, parsed.data);
  }

  function run(id: number, name: MethodName, params: unknown): void {
    const handler = handlers[name] as (
      p: unknown,
      c: DaemonContext,
      conn: ConnectionContext,
    ) => Promise<unknown>;
    Promise.resolve()
      .then(() => handler(params, ctx, conn))
      .then(
        (result) => send({ id, result }),
        (err: unknown) => {
          if (err instanceof TendError) return void fail(id, err);
          const detail = err instanceof Error ? err.message : String(err);
          ctx.log(`internal error in ${name}: ${err instanceof Error ? err.stack : detail}`);
          fail(id, new TendError('TEND_ERR_INTERNAL', { detail }));
        },
      );
  }
}

function isRequest(v: unknown): v is { id: number; method: string; params?: unknown } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  return Number.isSafeInteger(r.id) && typeof r.method === 'string';
}
