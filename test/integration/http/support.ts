// A real daemon with its HTTP API on a free loopback port, and plain HTTP requests to it (node:http, no
// keep-alive, bounded by a timeout). The daemon is started by the real client, the API turned on as
// `tend web` does (daemon.web) or by a settings file written before the start.
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { connect, type TendClient } from '../../../src/client/client.js';
import { freePort } from '../../helpers/free-port.js';
import { makeTmpHome } from '../../helpers/tmp-home.js';

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

function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/**
 * A daemon in a fresh home. `settings` (written as tend.config.json before the start) or, by default, the
 * API turned on with daemon.web on a free port.
 */
export async function startHttpDaemon(
  opts: { settings?: (port: number) => unknown } = {},
): Promise<HttpDaemon> {
  const tmp = makeTmpHome();
  const port = await freePort();
  if (opts.settings)
    writeFileSync(join(tmp.home, 'tend.config.json'), JSON.stringify(opts.settings(port)), { mode: 0o600 });
  const client = await connect({ home: tmp.home });
  const { pid: daemonPid } = await client.daemon();
  if (!opts.settings) await client.call('daemon.web', { port });
  // The files exist once the API listener has started (a health listener alone creates none).
  const token = (name: string) => {
    try {
      return readFileSync(join(tmp.home, name), 'utf8').trim();
    } catch {
      return '';
    }
  };
  const d: HttpDaemon = {
    home: tmp.home,
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
    async stop() {
      let pids: number[] = [];
      try {
        const { processes } = await client.call('process.list');
        pids = processes.map((p) => p.pid).filter((p): p is number => p !== null);
        const closed = client.closed;
        await client.call('daemon.kill');
        await closed;
      } catch {
        // dead already: by pid below
      }
      await client.close().catch(() => {});
      for (const pid of pids) killGroup(pid);
      try {
        process.kill(daemonPid, 0);
        killGroup(daemonPid);
      } catch {
        // gone
      }
      tmp.remove();
    },
  };
  return d;
}
