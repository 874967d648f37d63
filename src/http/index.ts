// The HTTP layer (issue 14), the entry of its own bundle (dist/daemon-http.cjs): the daemon requires it only
// when a listener is turned on (daemon/http-control.ts), so a daemon without one never loads node:http,
// node:crypto, prom-client or any of this. Two listeners: `api` (the API, the dashboard, /metrics with a
// token) and `health` (/livez /readyz /startupz /metrics, no token).

import { type MetricsService, openMetrics } from '../metrics/index.js';
import { TendError } from '../protocol/errors.js';
import { realClock } from '../runtime/clock.js';
import { type ListenAddress, parseListen } from '../settings/address.js';
import type { BoundAddress } from './bind.js';
import { makeCall } from './call.js';
import { allowedHosts } from './guard.js';
import { type Listener, listen } from './listener.js';
import { serveApi } from './serve.js';
import { serveHealth } from './serve-health.js';
import { Sessions } from './sessions.js';
import { openStreams, type Streams } from './streams/index.js';
import { loadTokens, type TokenPair } from './tokens.js';
import type { ApiServices, HttpDeps, ListenerInfo, ListenerKind } from './types.js';

export type { HttpDeps, ListenerInfo, ListenerKind } from './types.js';

export interface ListenSpec {
  /** `host:port`, already validated (settings/validate.ts, the daemon.web handler). */
  listen: string;
  /** http.hosts (API only). */
  hosts?: readonly string[];
  /** The address already bound (bind.ts), taken over instead of binding `listen` again: tend-runtime's. */
  bound?: BoundAddress;
}

export interface HttpLayer {
  /** Starts the listener of that kind at `spec` (moving it when it listens elsewhere). TEND_ERR_HTTP_LISTEN. */
  listen(kind: ListenerKind, spec: ListenSpec): Promise<ListenerInfo>;
  /** Stops the listener of that kind, if any. */
  stop(kind: ListenerKind): Promise<void>;
  listeners(): ListenerInfo[];
  /** A one-time login token for the dashboard (admin, single use, short-lived). */
  loginToken(): string;
  close(): Promise<void>;
}

export function openHttp(deps: HttpDeps, opts: { rollupOnly: boolean }): HttpLayer {
  const { daemon } = deps;
  const listeners = new Map<ListenerKind, { listener: Listener; hosts: ReadonlySet<string> }>();
  const sessions = new Sessions(realClock);
  let tokens: TokenPair | null = null;
  let streams: Streams | null = null;
  let metrics: MetricsService | null = null;
  const api: ApiServices = {
    daemon,
    call: makeCall(daemon, deps.dispatch),
    sessions,
    tokens: () => {
      if (!tokens) throw new TendError('TEND_ERR_INTERNAL', { detail: 'the API tokens are not loaded' });
      return tokens;
    },
    // Opened on first use: a health listener alone never starts the streams' samplers.
    streams: () => {
      streams ??= openStreams(daemon);
      return streams;
    },
    metrics: () => {
      metrics ??= openMetrics(daemon, { rollupOnly: opts.rollupOnly });
      return metrics;
    },
    listeners: () => info(),
  };
  const info = (): ListenerInfo[] =>
    (['api', 'health'] as const).flatMap((k) => {
      const l = listeners.get(k)?.listener;
      return l ? [{ kind: k, url: l.url }] : [];
    });

  return {
    async listen(kind, spec) {
      const address = parseListen(spec.listen) as ListenAddress;
      if (kind === 'api') {
        // (Re)read the token files: `rm http.token; tend web` rotates a token, and ends every session.
        const fresh = loadTokens(daemon.paths.home);
        if (!fresh.sameAs(tokens)) sessions.clear();
        tokens = fresh;
      }
      const current = listeners.get(kind);
      const hostsFor = (a: ListenAddress) =>
        allowedHosts({ host: a.host, port: a.port, hosts: spec.hosts ?? [] });
      if (
        current &&
        current.listener.address.host === address.host &&
        current.listener.address.port === address.port
      ) {
        current.hosts = hostsFor(address);
        return { kind, url: current.listener.url };
      }
      const entry: { listener: Listener; hosts: ReadonlySet<string> } = {
        listener: null as unknown as Listener,
        hosts: hostsFor(address),
      };
      const log = (line: string) => daemon.log(line);
      const handler =
        kind === 'api' ? serveApi({ api, allowedHosts: () => entry.hosts, log }) : serveHealth({ api, log });
      // The new address first: when it cannot be bound, the old listener keeps serving.
      entry.listener = await listen(kind, address, handler, spec.bound);
      listeners.set(kind, entry);
      if (current) await current.listener.close();
      daemon.log(`HTTP ${kind} listener on ${entry.listener.url}`);
      return { kind, url: entry.listener.url };
    },
    async stop(kind) {
      const current = listeners.get(kind);
      if (!current) return;
      listeners.delete(kind);
      if (kind === 'api') sessions.clear();
      if (listeners.size === 0) {
        streams?.close();
        streams = null;
      }
      await current.listener.close();
      daemon.log(`HTTP ${kind} listener on ${current.listener.url} closed`);
    },
    listeners: info,
    loginToken: () => sessions.loginToken(),
    async close() {
      streams?.close();
      streams = null;
      metrics?.close();
      metrics = null;
      sessions.clear();
      await Promise.all([...listeners.values()].map((l) => l.listener.close()));
      listeners.clear();
    },
  };
}
