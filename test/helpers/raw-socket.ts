// A raw connection to a daemon's socket, below the client: the tests of the trust boundary write whatever
// bytes they like (garbage, oversized and half-sent frames) and read the reply frames one at a time.
import { connect as netConnect, type Socket } from 'node:net';
import { homePaths } from '../../src/protocol/home.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';

export interface RawConnection {
  socket: Socket;
  /** The next frame (null once closed). */
  next(): Promise<Record<string, unknown> | null>;
  closed: Promise<void>;
}

/** Connects to the daemon of `home`; reply lines are collected until next() takes them. */
export function rawConnection(home: string): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(homePaths(home).socket);
    const lines: string[] = [];
    const waiting: ((l: string | null) => void)[] = [];
    let buf = '';
    let ended = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      for (let i = buf.indexOf('\n'); i !== -1; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const w = waiting.shift();
        if (w) w(line);
        else lines.push(line);
      }
    });
    const closed = new Promise<void>((r) =>
      socket.on('close', () => {
        ended = true;
        for (const w of waiting.splice(0)) w(null);
        r();
      }),
    );
    socket.on('error', () => {});
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        closed,
        next: () =>
          new Promise((res) => {
            const l = lines.shift();
            if (l !== undefined) return res(JSON.parse(l));
            if (ended) return res(null);
            waiting.push((x) => res(x === null ? null : JSON.parse(x)));
          }),
      }),
    );
  });
}

/** A daemon.hello frame, as the first line of a raw connection. */
export const helloFrame = (client: string) =>
  `${JSON.stringify({ id: 1, method: 'daemon.hello', params: { protocol: PROTOCOL_VERSION, client } })}\n`;

/** The error code of a reply frame, if it is an error. */
export const errorCodeOf = (f: Record<string, unknown> | null) =>
  (f?.error as { code?: string } | undefined)?.code;
