// The plain `http://` probe's client: one HTTP/1.1 GET written on a bare `net` socket, read only as far as the
// status line, then the socket is destroyed. node:http's client costs the daemon about twice the CPU for the
// same 50 probes a second (docs/performance.md, probe-cpu) and a probe needs nothing of it past the status
// code: no body, no keep-alive, no redirects. https stays on node:https (http-probe.ts).
import net from 'node:net';
import type { Verdict } from './run-outcome.js';
import { messageOf } from './run-outcome.js';

/** What the request needs of the probe's handler (its port comes expanded, beside it). */
export interface WireRequest {
  readonly host: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The most of the answer read while looking for the end of the status line (bytes). */
export const STATUS_LINE_LIMIT = 1024;

/** An RFC 9110 token: a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Characters a header value may not hold (as node:http: no CR, LF, NUL or other controls but tab). */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** Characters a request path may not hold (as node:http: nothing below `!`, nothing above U+00FF). */
const BAD_PATH = /[^\u0021-\u00ff]/;
/**
 * The request's bytes. Throws (the run's verdict, through socketRun) on a path or header that would let a
 * value break out of its line, with node:http's wording.
 */
export function requestHead(req: WireRequest, port: number): string {
  if (BAD_PATH.test(req.path)) throw new TypeError('Request path contains unescaped characters');
  // An IPv6 address is bracketed (`[::1]:8080`); a name or an IPv4 address has no colon.
  const host = req.host.includes(':') ? `[${req.host}]` : req.host;
  // Header names are case-insensitive: the user's own Host, User-Agent or Accept replaces ours.
  const given = new Set(Object.keys(req.headers).map((name) => name.toLowerCase()));
  let head = `GET ${req.path} HTTP/1.1\r\n`;
  if (!given.has('host')) head += `Host: ${host}:${port}\r\n`;
  if (!given.has('user-agent')) head += 'User-Agent: tend-probe\r\n';
  if (!given.has('accept')) head += 'Accept: */*\r\n';
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    // The probe closes its connection itself and sends no body: those headers are ours.
    if (lower === 'connection' || lower === 'content-length' || lower === 'transfer-encoding') continue;
    if (!TOKEN.test(name)) throw new TypeError(`Header name must be a valid HTTP token ["${name}"]`);
    if (BAD_VALUE.test(value)) throw new TypeError(`Invalid character in header content ["${name}"]`);
    head += `${name}: ${value}\r\n`;
  }
  return `${head}Connection: close\r\n\r\n`;
}

/** The most of the answer read while interim answers (1xx) come before the final status line (bytes). */
export const INTERIM_LIMIT = 16 * 1024;

/**
 * The final status line's verdict once `head` (the answer so far, latin1) holds it: 2xx and 3xx succeed
 * (redirects are not followed: a 302 to a login page means the server answers). Interim answers (100
 * Continue, 103 Early Hints) are skipped with their header block, as node:http and Kubernetes' client do.
 * Undefined while more is needed.
 */
export function statusVerdict(head: string, ended: boolean): Verdict | undefined {
  let rest = head;
  let interim = '';
  for (;;) {
    const eol = rest.indexOf('\n');
    if (eol < 0 && !ended && rest.length < STATUS_LINE_LIMIT) return undefined;
    let line = eol < 0 ? rest : rest.slice(0, eol);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '' && ended && eol < 0) {
      return failure(
        `the server closed the connection without ${interim ? `a final answer (after ${interim})` : 'an answer'}`,
      );
    }
    const status = statusCode(line);
    if (status < 0) return failure(`not an HTTP status line: ${JSON.stringify(clip(line, 80))}`);
    if (status < 100 || status >= 200 || status === 101) {
      return { ok: status >= 200 && status < 400, output: `HTTP ${status}`, error: null };
    }
    // An interim answer: its header block ends at the first empty line; the final answer follows it.
    const blank = blankLineEnd(rest, eol);
    if (blank < 0) {
      if (!ended && head.length < INTERIM_LIMIT) return undefined;
      return failure(`no final status line after HTTP ${status} in the first ${head.length} bytes`);
    }
    interim = `HTTP ${status}`;
    rest = rest.slice(blank);
  }
}

/** Where the header block that starts after the line ending at `eol` ends (after its empty line), or -1. */
function blankLineEnd(text: string, eol: number): number {
  if (eol < 0) return -1;
  const crlf = text.indexOf('\n\r\n', eol);
  const lf = text.indexOf('\n\n', eol);
  if (crlf < 0) return lf < 0 ? -1 : lf + 2;
  return lf < 0 || crlf < lf ? crlf + 3 : lf + 2;
}

function failure(error: string): Verdict {
  return { ok: false, output: error, error };
}

/**
 * The code of `HTTP/1.1 200 OK` (the version `HTTP/d.d`, a space, three digits, then a space or the line's
 * end: the reason is optional), or -1. By hand, not a regular expression: V8 without a JIT interprets those.
 */
function statusCode(line: string): number {
  if (line.length < 12 || !line.startsWith('HTTP/') || line[6] !== '.' || line[8] !== ' ') return -1;
  if (line.length > 12 && line[12] !== ' ') return -1;
  if (!digit(line, 5) || !digit(line, 7)) return -1;
  if (!digit(line, 9) || !digit(line, 10) || !digit(line, 11)) return -1;
  return (line.charCodeAt(9) - 48) * 100 + (line.charCodeAt(10) - 48) * 10 + (line.charCodeAt(11) - 48);
}

function digit(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c >= 48 && c <= 57;
}

/** The request head of each probe handler for its last port: made once, not at every run. */
const heads = new WeakMap<WireRequest, { readonly port: number; readonly head: string }>();

function cachedHead(req: WireRequest, port: number): string {
  const known = heads.get(req);
  if (known?.port === port) return known.head;
  const head = requestHead(req, port);
  heads.set(req, { port, head });
  return head;
}

/**
 * Every probe socket reads into this one buffer (`onread`: no Buffer per read, no stream queue); each read is
 * decoded at once, before the next one can land in it.
 */
const readBuffer = Buffer.allocUnsafe(STATUS_LINE_LIMIT);

/**
 * Sends the GET and reports the status line's verdict through `finish`; a connection error is the verdict
 * too. The caller destroys the socket at the verdict (socketRun does) and owns the timeout.
 */
export function wireGet(req: WireRequest, port: number, finish: (verdict: Verdict) => void): net.Socket {
  const head = cachedHead(req, port);
  let answer = '';
  const check = (ended: boolean): void => {
    const verdict = statusVerdict(answer, ended);
    if (verdict) finish(verdict);
  };
  const socket = net.connect({
    host: req.host,
    port,
    onread: {
      buffer: readBuffer,
      callback: (bytes: number): boolean => {
        answer += readBuffer.toString('latin1', 0, bytes);
        check(false);
        return true;
      },
    },
  });
  // Written at once: net queues it until the connection opens. Not end(): a half-close reads as "the client
  // went away" to some servers (Go's cancels the request's context), so the probe closes only after the verdict.
  socket.write(head, 'latin1');
  socket.on('end', () => check(true));
  // Stays attached after the verdict: destroy() must not turn a late error into a throw.
  socket.on('error', (err) => finish({ ok: false, output: messageOf(err), error: messageOf(err) }));
  return socket;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
