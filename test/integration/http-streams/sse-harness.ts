// A tiny HTTP server that serves openStreams() the way the router will (after authentication), and a plain
// http.get reader of server-sent events: frames parsed as they arrive, waited on with a timeout as a safety
// net (never a sleep).
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Streams } from '../../../src/http/streams/index.js';

export interface Frame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  /** Comment lines (`: keepalive`). */
  comments: string[];
  /** When the frame was parsed (performance.now()). */
  receivedAt: number;
}

export interface Served {
  port: number;
  /** Resolves when the next response closes (after the streams saw it). Call before the action. */
  nextClose(): Promise<void>;
  close(): Promise<void>;
}

/** Serves /events, /logs, /timeline and /stats from `streams` on 127.0.0.1 (a free port). */
export async function serve(streams: Streams): Promise<Served> {
  const closes = new EventEmitter();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const header = req.headers['last-event-id'];
    const r = {
      req,
      res,
      query: url.searchParams,
      lastEventId: typeof header === 'string' ? header : (url.searchParams.get('last_event_id') ?? undefined),
    };
    if (url.pathname === '/events') streams.events(r);
    else if (url.pathname === '/logs') streams.logs(r);
    else if (url.pathname === '/timeline' || url.pathname === '/stats') {
      const body = url.pathname === '/timeline' ? streams.timeline() : streams.stats();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    } else res.writeHead(404).end();
    // Registered after the streams' own listener: when it runs, the streams have let go of the response.
    res.on('close', () => closes.emit('close'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    nextClose: () => once(closes, 'close').then(() => {}),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export interface SseReader {
  status: number;
  headers: http.IncomingHttpHeaders;
  frames: Frame[];
  /** The first frame (already received or to come) matching pred. */
  next(pred: (f: Frame) => boolean, what: string, timeoutMs?: number): Promise<Frame>;
  /** Resolves when the server ends or cuts the stream. */
  ended: Promise<void>;
  res: http.IncomingMessage;
  close(): void;
}

/** GET path as an event stream; resolves once the headers are in. */
export function openSse(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  opts: { paused?: boolean } = {},
): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers }, (res) => {
      const frames: Frame[] = [];
      const waiters = new Set<() => void>();
      let buf = '';
      let endedResolve!: () => void;
      const ended = new Promise<void>((r) => {
        endedResolve = r;
      });
      res.on('close', () => {
        endedResolve();
        for (const w of [...waiters]) w();
      });
      res.on('error', () => endedResolve());
      res.setEncoding('utf8');
      if (opts.paused) res.pause();
      else
        res.on('data', (chunk: string) => {
          buf += chunk;
          for (let end = buf.indexOf('\n\n'); end !== -1; end = buf.indexOf('\n\n')) {
            frames.push(parseFrame(buf.slice(0, end)));
            buf = buf.slice(end + 2);
          }
          for (const w of [...waiters]) w();
        });
      const reader: SseReader = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames,
        res,
        ended,
        close: () => req.destroy(),
        next(pred, what, timeoutMs = 10_000) {
          return new Promise((ok, fail) => {
            const check = () => {
              const f = frames.find(pred);
              if (f) {
                done();
                ok(f);
              } else if (res.destroyed || res.complete) {
                done();
                fail(new Error(`stream ended before ${what}; saw ${describe(frames)}`));
              }
            };
            const timer = setTimeout(() => {
              done();
              fail(new Error(`timed out waiting for ${what}; saw ${describe(frames)}`));
            }, timeoutMs);
            const done = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
      };
      resolve(reader);
    });
    req.on('error', reject);
  });
}

function parseFrame(text: string): Frame {
  const f: Frame = { comments: [], receivedAt: performance.now() };
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) {
      f.comments.push(line.slice(1).trim());
      continue;
    }
    const i = line.indexOf(':');
    const field = i === -1 ? line : line.slice(0, i);
    const value = i === -1 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'id' || field === 'event' || field === 'retry') f[field] = value;
    else if (field === 'data') f.data = f.data === undefined ? value : `${f.data}\n${value}`;
  }
  return f;
}

function describe(frames: readonly Frame[]): string {
  return frames
    .slice(-20)
    .map((f) => f.event ?? (f.retry ? 'retry' : f.comments.length > 0 ? `:${f.comments[0]}` : '?'))
    .join(', ');
}

/** The JSON data of a frame. */
export const data = <T = Record<string, unknown>>(f: Frame): T => JSON.parse(f.data ?? 'null') as T;

/** A plain GET with a JSON answer. */
export async function getJson<T>(port: number, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}
