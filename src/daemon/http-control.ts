// Turning the HTTP listeners on and off, from the daemon's side. The HTTP layer is its own bundle
// (dist/daemon-http.cjs, src/http): it is required here the first time a listener is wanted — at start
// when tend.config.yaml or web.json asks for one, or by `tend web` — and never otherwise, so a daemon
// without listeners loads no node:http, node:crypto or prom-client. A listener that cannot bind (an
// address in use) is logged and reported (`tend web`, daemon.web's `problems`); the daemon runs on.
import { join } from 'node:path';
import type { HttpLayer, ListenerKind } from '../http/index.js';
import { isTendError, TendError } from '../protocol/errors.js';
import type { Params, Result } from '../protocol/methods/index.js';
import { requireBundle } from '../runtime/bundle.js';
import { formatAddress, isLoopback, parseListen } from '../settings/address.js';
import type { DaemonSettings } from '../settings/types.js';
import { readWebFile, removeWebFile, writeWebFile } from '../settings/web-file.js';
import type { DaemonContext } from './context.js';
import { dispatch } from './dispatch.js';

export const DEFAULT_WEB_HOST = '127.0.0.1';
export const DEFAULT_WEB_PORT = 9615;

export interface WebControl {
  /** At daemon start: the listeners the settings file and web.json ask for. Never throws. */
  start(ctx: DaemonContext): Promise<void>;
  /** daemon.web. */
  web(params: Params<'daemon.web'>, ctx: DaemonContext): Promise<Result<'daemon.web'>>;
  close(): Promise<void>;
}

type HttpModule = typeof import('../http/index.js');

/** dist/daemon-http.cjs beside dist/daemon.cjs; from source (tests through tsx), the module itself. */
export function loadHttpModule(): HttpModule {
  return requireBundle<HttpModule>(import.meta.url, 'daemon-http.cjs', '../http/index.js');
}

/** An error of the HTTP bundle (its own copy of TendError) as one of ours, so dispatch reports it as is. */
function ours(err: unknown): unknown {
  return isTendError(err) && !(err instanceof TendError) ? TendError.fromWire(err.toWire()) : err;
}

export function createWebControl(settings: DaemonSettings, log: (line: string) => void): WebControl {
  let layer: HttpLayer | null = null;
  const problems = new Map<ListenerKind, { address: string; message: string }>();
  const ensure = (ctx: DaemonContext): HttpLayer => {
    layer ??= loadHttpModule().openHttp(
      { daemon: ctx, dispatch },
      { rollupOnly: settings.metrics.rollup_only },
    );
    return layer;
  };
  const open = async (
    ctx: DaemonContext,
    kind: ListenerKind,
    listen: string,
    hosts: readonly string[] = [],
  ) => {
    try {
      const info = await ensure(ctx).listen(kind, { listen, hosts });
      problems.delete(kind);
      return info;
    } catch (err) {
      const e = ours(err);
      const message = e instanceof Error ? e.message : String(e);
      problems.set(kind, { address: listen, message });
      log(`HTTP ${kind} listener not started: ${message}`);
      throw e;
    }
  };
  const answer = (source: 'settings' | 'web' | null, withLogin: boolean): Result<'daemon.web'> => {
    const listeners = layer?.listeners() ?? [];
    const url = listeners.find((l) => l.kind === 'api')?.url ?? null;
    return {
      url,
      login_url: url && withLogin && layer ? `${url}#login=${layer.loginToken()}` : null,
      source: url ? source : null,
      listeners,
      problems: [...problems].map(([kind, p]) => ({ kind, ...p })),
    };
  };

  return {
    async start(ctx) {
      const api = settings.http?.listen ?? readWebFile(ctx.paths.home, log)?.listen;
      if (api) await open(ctx, 'api', api, settings.http?.hosts).catch(() => {});
      if (settings.health) await open(ctx, 'health', settings.health.listen).catch(() => {});
    },

    async web(params, ctx) {
      const fromSettings = settings.http;
      if (params.off) {
        if (fromSettings)
          throw new TendError('TEND_ERR_USAGE', {
            detail: `the API is turned on by http.listen in ${settings.file}: remove the http section there and restart the daemon ("tend kill")`,
          });
        removeWebFile(ctx.paths.home);
        problems.delete('api');
        await layer?.stop('api');
        return answer(null, false);
      }
      if (fromSettings) {
        const wanted = parseListen(fromSettings.listen);
        if (typeof wanted !== 'string' && (params.host !== undefined || params.port !== undefined)) {
          const host = params.host ?? wanted.host;
          const port = params.port ?? wanted.port;
          if (host !== wanted.host || port !== wanted.port)
            throw new TendError('TEND_ERR_USAGE', {
              detail: `the API listens where http.listen in ${settings.file} says (${fromSettings.listen}): change it there and restart the daemon`,
            });
        }
        await open(ctx, 'api', fromSettings.listen, fromSettings.hosts);
        return answer('settings', true);
      }
      const current = layer?.listeners().find((l) => l.kind === 'api');
      const now = current ? parseListen(current.url.slice('http://'.length, -1)) : null;
      const was = typeof now === 'string' ? null : now;
      const host = params.host ?? was?.host ?? DEFAULT_WEB_HOST;
      const port = params.port ?? was?.port ?? DEFAULT_WEB_PORT;
      const address = parseListen(formatAddress({ host: host === 'localhost' ? '127.0.0.1' : host, port }));
      if (typeof address === 'string')
        throw new TendError('TEND_ERR_USAGE', { detail: `--host ${host}: ${address}` });
      if (!isLoopback(address.host))
        throw new TendError('TEND_ERR_USAGE', {
          detail:
            `--host ${host} is not a loopback address: the API can start and stop processes, so binding it beyond ` +
            `this machine needs http.listen and http.allow_remote: true in ${join(ctx.paths.home, 'tend.config.yaml')}`,
        });
      const listen = formatAddress(address);
      await open(ctx, 'api', listen);
      writeWebFile(ctx.paths.home, { listen });
      return answer('web', true);
    },

    async close() {
      await layer?.close();
      layer = null;
    },
  };
}
