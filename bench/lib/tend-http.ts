// tend's HTTP side (issue 14) as the bench reaches it: the settings file that turns the API and health
// listeners on, the read token, and a reader of server-sent events (GET /api/v1/events) that stamps each
// frame with the time it was parsed. 127.0.0.1 only.
import { readFileSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { join } from 'node:path';
import { nowMs } from './child.js';
import type { Tool } from './tools.js';

/** The text of $TEND_HOME/tend.config.yaml with the API and/or the health listener on these ports. */
export function listenSettings(ports: { api?: number; health?: number }): string {
  const lines: string[] = [];
  if (ports.api !== undefined) lines.push(`http: { listen: "127.0.0.1:${ports.api}" }`);
  if (ports.health !== undefined) lines.push(`health: { listen: "127.0.0.1:${ports.health}" }`);
  return `${lines.join('\n')}\n`;
}

/** `Authorization: Bearer <read token>` of a tend whose API listener has started. */
export function readAuth(t: Tool): Record<string, string> {
  const token = readFileSync(join(t.home, 'http.read-token'), 'utf8').trim();
  return { authorization: `Bearer ${token}` };
}

export interface Frame {
  id?: string;
  event?: string;
  data?: string;
  /** nowMs() when the frame's blank line was read. */
  receivedAt: number;
}

export interface EventStream {
  readonly frames: Frame[];
  /** The first frame at index ≥ from matching pred, already here or to come; the timeout is a safety net. */
  next(pred: (f: Frame) => boolean, what: string, from?: number, timeoutMs?: number): Promise<Frame>;
  close(): void;
}

/** Opens an event stream and resolves once the answer's headers are in (status 200 required). */
export function openEvents(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${path}: status ${res.statusCode}`));
        return;
      }
      const frames: Frame[] = [];
      const waiters = new Set<() => void>();
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk.replace(/\r\n?/g, '\n');
        for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const f: Frame = { receivedAt: nowMs() };
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            if (colon <= 0) continue; // a comment (": keepalive") or an empty line
            const value = line.slice(colon + 1).replace(/^ /, '');
            const field = line.slice(0, colon);
            if (field === 'id' || field === 'event') f[field] = value;
            else if (field === 'data') f.data = f.data === undefined ? value : `${f.data}\n${value}`;
          }
          if (f.event !== undefined || f.data !== undefined) frames.push(f);
        }
        for (const w of [...waiters]) w();
      });
      res.on('error', () => {});
      resolve({
        frames,
        next(pred, what, from = 0, timeoutMs = 10_000) {
          const find = () => frames.slice(from).find(pred);
          const now = find();
          if (now) return Promise.resolve(now);
          return new Promise((ok, fail) => {
            const check = () => {
              const f = find();
              if (!f) return;
              waiters.delete(check);
              clearTimeout(timer);
              ok(f);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`${path}: no ${what} within ${timeoutMs} ms`));
            }, timeoutMs);
            timer.unref();
            waiters.add(check);
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
