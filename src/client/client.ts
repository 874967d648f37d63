// The typed programmatic client: `const tend = await connect(); await tend.call('process.list')`. The CLI is
// its first user. Types come from the protocol's method table; at run time it loads no schema library (the
// daemon validates), which keeps `tend list` fast.
import type { TendEvent } from '../protocol/events.js';
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
}

export interface Subscription {
  /** Every instance at the moment of subscribing; events follow. */
  processes: ProcessInfo[];
  close(): Promise<void>;
}

export class TendClient {
  private constructor(
    private readonly conn: Connection,
    private readonly hello: Promise<DaemonIdentity>,
  ) {
    // A failed handshake is reported by the first call; don't let it surface as an unhandled rejection too.
    hello.catch(() => {});
  }

  static open(conn: Connection, client: string): TendClient {
    const hello = conn.request('daemon.hello', {
      protocol: PROTOCOL_VERSION,
      client,
    }) as Promise<DaemonIdentity>;
    return new TendClient(conn, hello);
  }

  /** The daemon's identity, from the handshake. */
  daemon(): Promise<DaemonIdentity> {
    return this.hello;
  }

  /**
   * Calls a method. The request is written at once, pipelined behind the handshake (one round trip in all);
   * a handshake failure is reported in preference to the call's own error.
   */
  async call<M extends MethodName>(
    method: M,
    ...args: Record<never, never> extends ParamsIn<M> ? [ParamsIn<M>?] : [ParamsIn<M>]
  ): Promise<Result<M>> {
    const reply = this.conn.request(method, args[0] ?? {});
    reply.catch(() => {});
    await this.hello;
    return (await reply) as Result<M>;
  }

  /** Subscribes this connection to the daemon's events. Open a separate client for calls made meanwhile. */
  async subscribe(listener: (e: TendEvent) => void): Promise<Subscription> {
    const off = this.conn.onEvent(listener);
    const { processes } = await this.call('events.subscribe', {});
    return {
      processes,
      close: async () => {
        off();
        await this.close();
      },
    };
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
  const socket = await openDaemonSocket(paths, {
    spawn: opts.spawn ?? true,
    timeoutMs: opts.timeoutMs ?? 10_000,
  });
  return TendClient.open(new Connection(socket), opts.client ?? `tend-client/${VERSION}`);
}
