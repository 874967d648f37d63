// The Unix-socket transport: NDJSON framing, the frame size limit, the time bounds of a connection,
// backpressure, and connection bookkeeping. What a request means is dispatch.ts's business. A bad peer costs
// itself its connection, never the daemon: every way out of a connection ends in destroy() within a bound,
// so `server.close()` (and with it `tend kill`) can never wait on a peer.
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { TendError } from '../protocol/errors.js';
import { encodeFrame, LineDecoder, MAX_REQUEST_FRAME } from '../protocol/framing.js';
import { Backlog } from './backlog.js';
import type { ConnectionContext, DaemonContext } from './context.js';
import { Deadlines } from './deadlines.js';
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
  const shared: Shared = {
    daemon: ctx,
    timeoutMs,
    hello: new Deadlines<Connection>(timeoutMs, (c) => c.helloOverdue()),
    frame: new Deadlines<Connection>(timeoutMs, (c) => c.frameOverdue()),
    backlog: new Backlog<Connection>(),
  };
  const sockets = new Set<Socket>();
  // Paused: a new connection is read only once the Backlog admits it (see there).
  const server = createServer({ allowHalfOpen: false, pauseOnConnect: true }, (socket) => {
    sockets.add(socket);
    const c = new Connection(socket, shared);
    (socket as SocketWithConnection)[CONNECTION] = c;
    socket.on('error', ignore);
    socket.on('close', onClose);
    shared.hello.set(c);
    shared.backlog.add(c);
  });
  function onClose(this: Socket) {
    sockets.delete(this);
    connectionOf(this).closedNow();
  }
  server.on('error', (err) => ctx.log(`socket server error: ${err.message}`));
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) {
          // Frames sent in this same run (the last events before a shutdown) go out before the end.
          connectionOf(s).flushOutbox();
          s.end();
        }
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

const ignore = () => {};
// One listener for every socket (the connection is found on the socket), not a closure each: a flood of
// connections costs Node's socket objects and little more.
function onData(this: Socket, chunk: string) {
  connectionOf(this).read(chunk);
}
const CONNECTION = Symbol('tend.connection');
type SocketWithConnection = Socket & { [CONNECTION]: Connection };
const connectionOf = (s: Socket) => (s as SocketWithConnection)[CONNECTION];

/** What every connection of one server shares. */
interface Shared {
  daemon: DaemonContext;
  timeoutMs: number;
  /** Connections waiting for their hello. */
  hello: Deadlines<Connection>;
  /** Connections with a frame started and not finished. */
  frame: Deadlines<Connection>;
  /** New connections, and the lines of those that have not greeted yet (see backlog.ts). */
  backlog: Backlog<Connection>;
}

/** One client on the socket: its framing, its deadlines, its state for dispatch, its way out. */
/** What a connection may send before its hello is answered (Connection.overQueued). */
const MAX_LINES_BEFORE_HELLO = 1024;
const MAX_BYTES_BEFORE_HELLO = 2 * MAX_REQUEST_FRAME;
const MAX_REFUSED_BEFORE_HELLO = 16;

class Connection implements ConnectionContext {
  readonly helloGate = true;
  greeted = false;
  private readonly decoder = new LineDecoder(MAX_REQUEST_FRAME);
  private readonly request: RequestContext;
  private closers: (() => void)[] | undefined;
  private closed = false;
  /** Hung up: an error frame sent and our side ended; whatever the peer still sends is read and dropped. */
  private refused = false;
  /** Lines read and not dispatched yet (see Backlog). */
  private queued: string[] | undefined;
  /** Characters of the lines queued before the connection greeted (overQueued). */
  private queuedBytes = 0;
  /** Lines answered with an error before the connection greeted (step). */
  private refusedBeforeHello = 0;
  /** Read from (see Backlog). */
  private admitted = false;
  /** The hello deadline passed while the lines that may hold the hello were still queued. */
  private helloLate = false;
  private readonly reply = (frame: unknown) => this.send(frame);

  constructor(
    private readonly socket: Socket,
    private readonly shared: Shared,
  ) {
    this.request = { daemon: shared.daemon, connection: this };
  }

  sendEvent(frame: unknown): void {
    this.send(frame);
  }

  /** Runs fn when the connection closes, or now if it has (a request queued before the peer hung up). */
  onClose(fn: () => void): void {
    if (this.closed) fn();
    else if (this.closers) this.closers.push(fn);
    else this.closers = [fn];
  }

  backlog(): number {
    return this.socket.writableLength;
  }

  read(chunk: string): void {
    if (this.refused) return;
    const { lines, overflow } = this.decoder.push(chunk);
    if (overflow) {
      this.hangUp(new TendError('TEND_ERR_FRAME_TOO_LARGE', { limit: MAX_REQUEST_FRAME }));
      return;
    }
    // A frame's clock starts with its first byte: a completed line starts the next frame's afresh.
    const { frame } = this.shared;
    if (this.decoder.pendingBytes === 0) frame.clear(this);
    else if (lines.length > 0 || !frame.has(this)) frame.set(this);
    if (lines.length === 0) return;
    if (this.queued || !this.greeted) {
      if (!this.greeted && this.overQueued(lines)) return;
      if (this.queued) this.queued.push(...lines);
      else this.queued = lines;
      this.shared.backlog.add(this);
      return;
    }
    this.dispatch(lines);
  }

  /**
   * A client says hello and pipelines a request or a few behind it. Lines past MAX_LINES_BEFORE_HELLO or
   * MAX_BYTES_BEFORE_HELLO before its hello is answered are a flood: the connection is hung up, its queue
   * dropped (tenth audit: 3 MB of lines and no hello held the queue of new connections for minutes, each line
   * answered in turn, and 30 MB took the daemon from 45 to 536 MiB, kept after the peer left).
   */
  private overQueued(lines: readonly string[]): boolean {
    const count = (this.queued?.length ?? 0) + lines.length;
    for (const line of lines) this.queuedBytes += line.length;
    if (count <= MAX_LINES_BEFORE_HELLO && this.queuedBytes <= MAX_BYTES_BEFORE_HELLO) return false;
    this.floodedBeforeHello(
      `more than ${MAX_LINES_BEFORE_HELLO} requests or ${MAX_BYTES_BEFORE_HELLO / 1024 / 1024} MiB before daemon.hello was answered`,
    );
    return true;
  }

  /** Too much before its hello (overQueued, step): what it queued is dropped, and it is hung up saying why. */
  private floodedBeforeHello(detail: string): void {
    this.queued = undefined;
    this.hangUp(new TendError('TEND_ERR_BAD_REQUEST', { detail }));
  }

  /** The Backlog's turn: admission, or the next queued line; false once nothing is left to do. */
  step(): boolean {
    if (!this.admitted) {
      this.admit();
      return false;
    }
    const line = this.queued?.shift();
    if (line !== undefined) this.dispatch([line]);
    // A line before the hello is answered with why ("the first request must be daemon.hello", "frame is not
    // valid JSON") and the connection goes on, a few times: past MAX_REFUSED_BEFORE_HELLO, what it queued is
    // dropped and it is hung up (verification of the tenth audit: 300 connections of 1000 lines each, every
    // line answered in turn, kept `tend ls` out for 10 s and more).
    if (line !== undefined && !this.greeted && ++this.refusedBeforeHello > MAX_REFUSED_BEFORE_HELLO) {
      this.floodedBeforeHello(
        `${MAX_REFUSED_BEFORE_HELLO} requests refused before daemon.hello: the first request must be daemon.hello`,
      );
      return false;
    }
    // Greeted now (its hello was that line): the rest at once, as the lines of a greeted connection's read
    // are (the CLI and the flood of bench 18 send a request right behind the hello: one turn, one write).
    if (this.greeted && this.queued && this.queued.length > 0) {
      const rest = this.queued;
      this.queued = undefined;
      this.dispatch(rest);
    }
    if (this.queued && this.queued.length > 0) return true;
    this.drained();
    return false;
  }

  /** From now on the socket is read (a refused one too: what it sends is dropped and its close is seen). */
  private admit(): void {
    this.admitted = true;
    if (this.closed) return;
    this.socket.setEncoding('utf8');
    this.socket.on('data', onData);
    this.socket.resume();
  }

  /** Every queued line at once (the connection is being hung up). */
  flush(): void {
    const lines = this.queued;
    if (lines) this.dispatch(lines);
    this.drained();
  }

  /** The queue is empty: lines are dispatched as they come if greeted; the hello deadline if it passed. */
  private drained(): void {
    this.queued = undefined;
    if (this.greeted) this.shared.hello.clear(this);
    else if (this.helloLate) this.helloOverdue();
  }

  helloOverdue(): void {
    if (this.greeted) return;
    if (this.queued) {
      this.helloLate = true;
      return;
    }
    const waiting_for = 'daemon.hello';
    this.hangUp(
      new TendError('TEND_ERR_CONNECTION_TIMEOUT', { after_ms: this.shared.timeoutMs, waiting_for }),
    );
  }

  frameOverdue(): void {
    const waiting_for = 'the end of a frame';
    this.hangUp(
      new TendError('TEND_ERR_CONNECTION_TIMEOUT', { after_ms: this.shared.timeoutMs, waiting_for }),
    );
  }

  closedNow(): void {
    this.closed = true;
    this.shared.hello.clear(this);
    this.shared.frame.clear(this);
    for (const fn of this.closers ?? []) fn();
  }

  // In order and synchronously up to each handler's first await (see dispatch: pipelined hello).
  private dispatch(lines: string[]): void {
    for (const line of lines) void dispatchLine(this.request, line).then(this.reply);
    if (this.greeted) this.shared.hello.clear(this);
  }

  /**
   * Frames sent within one run of the microtask queue go out in one write (a hello and the request behind it,
   * a burst of events): one system call and one wake-up of the peer instead of one per frame. The flush is a
   * microtask itself, so a lone reply waits for no turn of the event loop.
   */
  private send(frame: unknown): void {
    const { socket } = this;
    if (socket.destroyed || !socket.writable) return;
    const text = encodeFrame(frame);
    if (this.outbox !== undefined) {
      this.outbox += text;
      return;
    }
    this.outbox = text;
    queueMicrotask(this.flushOutbox);
  }

  private outbox: string | undefined;
  readonly flushOutbox = (): void => {
    const text = this.outbox;
    this.outbox = undefined;
    const { socket } = this;
    if (text === undefined || socket.destroyed || !socket.writable) return;
    socket.write(text);
    if (socket.writableLength > MAX_QUEUED_BYTES) {
      this.shared.daemon.log(
        `a client read too slowly (${socket.writableLength} bytes queued): disconnected`,
      );
      socket.destroy();
    }
  };

  // The peer's last chance: one error frame, our side ended, and destroy() after a bounded flush. The socket
  // keeps flowing (never paused), so whatever the peer still sends is read and dropped and its close is seen.
  // Lines still queued are dispatched first, as they would have been had they not waited their turn (their
  // replies come after the end and are lost).
  private hangUp(err: TendError): void {
    if (this.refused) return;
    this.refused = true;
    if (this.queued) this.flush();
    this.shared.hello.clear(this);
    this.shared.frame.clear(this);
    const { socket } = this;
    if (this.closed) return;
    this.send({ id: null, error: err.toWire() });
    // Now, not in a microtask: end() comes next.
    this.flushOutbox();
    socket.end();
    const t = setTimeout(() => socket.destroy(), FLUSH_MS);
    socket.once('close', () => clearTimeout(t));
  }
}
