// A real daemon with its HTTP API on a free loopback port, and plain HTTP requests to it (node:http, no
// keep-alive, bounded by a timeout). The daemon is started by the real client, the API turned on as
// `tend web` does (daemon.web) or by a settings file written before the start.
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import type { TendClient } from '../../../src/client/client.js';
import { startTestDaemon } from '../../helpers/daemon.js';
import { freePort } from '../../helpers/free-port.js';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read by field
  json: any;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as is (not JSON-encoded). */
  raw?: string | Buffer;
  token?: string;
}

export function request(port: number, path: string, opts: RequestOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | Buffer | undefined = opts.raw;
  if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers, agent: false, timeout: 20_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path} within 20 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface HttpDaemon {
  home: string;
  client: TendClient;
  daemonPid: number;
  port: number;
  admin: string;
  read: string;
  get(path: string, opts?: RequestOptions): Promise<Answer>;
  post(path: string, body?: unknown, opts?: RequestOptions): Promise<Answer>;
  stop(): Promise<void>;
}

/**
 * A daemon in a fresh home. `settings` (written as tend.config.json before the start) or, by default, the
 * API turned on with daemon.web on a free port.
 */
export async function startHttpDaemon(
  opts: { settings?: (port: number) => unknown } = {},
): Promise<HttpDaemon> {
  const port = await freePort();
  const base = await startTestDaemon({
    prepare: (home) => {
      if (opts.settings)
        writeFileSync(join(home, 'tend.config.json'), JSON.stringify(opts.settings(port)), {
          mode: 0o600,
        });
    },
  });
  const { home, client, daemonPid } = base;
  if (!opts.settings) await client.call('daemon.web', { port });
  // The files exist once the API listener has started (a health listener alone creates none).
  const token = (name: string) => {
    try {
      return readFileSync(join(home, name), 'utf8').trim();
    } catch {
      return '';
    }
  };
  const d: HttpDaemon = {
    home,
    client,
    daemonPid,
    port,
    admin: token('http.token'),
    read: token('http.read-token'),
    get: (path, o = {}) => request(port, path, { token: d.admin, ...o }),
    post: (path, body, o = {}) =>
      request(port, path, {
        method: 'POST',
        token: d.admin,
        body: body ?? (o.raw === undefined ? {} : undefined),
        ...o,
      }),
    stop: () => base.stop(),
  };
  return d;
}
