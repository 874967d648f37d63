// The typed programmatic client: `const tend = await connect(); await tend.call('process.list')`. The CLI is
// its first user. Types come from the protocol's method table; at run time it loads no schema library (the
// daemon validates), which keeps `tend list` fast.
import type { Socket } from 'node:net';
import { isTendError } from '../protocol/errors.js';
import type { StreamEvent, TendEvent } from '../protocol/events.js';
import { homePaths, resolveHome } from '../protocol/home.js';
import type { MethodName, ParamsIn, Result } from '../protocol/methods/index.js';
import type { ProcessInfo } from '../protocol/process-info.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import { VERSION } from '../version.js';
import { Connection } from './connection.js';
import { openDaemonSocket } from './ensure-daemon.js';

export interface ConnectOptions {
  /** TEND_HOME to use; default $TEND_HOME or ~/.tend. */
  home?: string;
  /** Start the daemon when none runs (default true). */
  spawn?: boolean;
  /** How long to wait for a daemon to start (default 10 s). */
  timeoutMs?: number;
  /** Identifies the caller in the handshake. */
  client?: string;
}

export interface DaemonIdentity {
  protocol: number;
  version: string;
  pid: number;
  home: string;
  /** Notices of the daemon's start not shown to any client yet (crash recovery, a damaged state file). */
  notices?: string[];
  /** Every notice since the daemon started. */
  startup_notices?: string[];
}

export interface Subscription {
  /** Every instance at the moment of subscribing; events follow. */
  processes: ProcessInfo[];
  close(): Promise<void>;
}

export class TendClient {
  private conn: Connection;
  private hello: Promise<DaemonIdentity>;
  private readonly listeners = new Set<(e: TendEvent) => void>();
  /** One reconnection is allowed, for a daemon that died while we connected (see call()). */
  private reconnects = 1;

  constructor(
    socket: Socket,
    private readonly reopen: () => Promise<Socket>,
    private readonly clientName: string,
  ) {
    [this.conn, this.hello] = this.open(socket);
  }

  private open(socket: Socket): [Connection, Promise<DaemonIdentity>] {
    const conn = new Connection(socket);
    conn.onEvent((e) => {
      for (const l of this.listeners) l(e);
    });
    const hello = conn.request('daemon.hello', {
      protocol: PROTOCOL_VERSION,
      client: this.clientName,
    }) as Promise<DaemonIdentity>;
    // A failed handshake is reported by the first call; don't let it surface as an unhandled rejection too.
    hello.catch(() => {});
    return [conn, hello];
  }

  /** The answer to this connection's own handshake (no extra round trip). */
  identity(): Promise<DaemonIdentity> {
    return this.hello;
  }

  /** The daemon's identity, from the handshake. */
  daemon(): Promise<DaemonIdentity> {
    return this.call('daemon.hello', { protocol: PROTOCOL_VERSION, client: this.clientName });
  }

  /**
   * Calls a method. The request is written at once, pipelined behind the handshake (one round trip in all);
   * a handshake failure is reported in preference to the call's own error. A connection that closes before
   * the handshake is answered reached a daemon that was dying (a listening socket accepts until its process
   * is fully gone): the daemon never processed the request, so it is sent again to a fresh daemon, once.
   */
  async call<M extends MethodName>(
    method: M,
    ...args: Record<never, never> extends ParamsIn<M> ? [ParamsIn<M>?] : [ParamsIn<M>]
  ): Promise<Result<M>> {
    for (;;) {
      const reply = this.conn.request(method, args[0] ?? {});
      reply.catch(() => {});
      try {
        await this.hello;
      } catch (err) {
        if (isTendError(err) && err.code === 'TEND_ERR_CONNECTION_CLOSED' && this.reconnects-- > 0) {
          [this.conn, this.hello] = this.open(await this.reopen());
          continue;
        }
        throw err;
      }
      return (await reply) as Result<M>;
    }
  }

  /**
   * Subscribes this connection to the daemon's events (those of `events.subscribe`, typed by their schemas
   * in protocol/events.ts). Open a separate client for calls made meanwhile.
   */
  async subscribe(listener: (e: StreamEvent<'events'>) => void): Promise<Subscription> {
    // Listen before asking: events may arrive before the snapshot's reply. Only this stream's frames come
    // on a connection that subscribed to nothing else.
    this.listeners.add(listener as (e: TendEvent) => void);
    const { processes } = await this.call('events.subscribe', {});
    return {
      processes,
      close: async () => {
        this.listeners.delete(listener as (e: TendEvent) => void);
        await this.close();
      },
    };
  }

  /**
   * Hears every event frame on this connection (those of logs.subscribe, say); call before the method that
   * starts them. Returns the function that stops listening.
   */
  listen(listener: (e: TendEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops reading events until resume() (the daemon counts what it cannot send: see log.dropped). */
  pause(): void {
    this.conn.pause();
  }

  resume(): void {
    this.conn.resume();
  }

  /** Resolves when the connection closes, from either side (for instance because the daemon exited). */
  get closed(): Promise<void> {
    return this.conn.closed;
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}

export async function connect(opts: ConnectOptions = {}): Promise<TendClient> {
  const paths = homePaths(opts.home ?? resolveHome());
  const open = () =>
    openDaemonSocket(paths, { spawn: opts.spawn ?? true, timeoutMs: opts.timeoutMs ?? 10_000 });
  return new TendClient(await open(), open, opts.client ?? `tend-client/${VERSION}`);
}
