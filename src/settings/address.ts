// Listen addresses as users write them: `127.0.0.1:9615`, `[::1]:9615`, `0.0.0.0:9616`. IP literals only
// (plus `localhost`, taken as 127.0.0.1): a name resolved at start could change under the daemon, and the
// API's Host check (http/guard.ts) compares against what the listener really is.
import { isIP } from 'node:net';

export interface ListenAddress {
  /** An IP literal, without brackets. */
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
}

/** The default ports: the HTTP API's, and the health listener's (the daemon's and tend-runtime's). */
export const API_PORT = 9615;
export const HEALTH_PORT = 9616;

/** `"127.0.0.1:9615" (or "[::1]:9615" for IPv6)`: with the port of the listener asked for. */
export const addressExample = (port = API_PORT): string =>
  `"127.0.0.1:${port}" (or "[::1]:${port}" for IPv6)`;

/**
 * Parses `host:port`; returns the problem as text when it is not one. `examplePort`: the port the examples
 * show, the listener's own default (the API's 9615, tend-runtime's health listener's 9616: the ninth audit
 * found the runtime's errors showing the API's).
 */
export function parseListen(text: string, examplePort = API_PORT): ListenAddress | string {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text);
  if (!m) return `expected "host:port", e.g. ${addressExample(examplePort)}`;
  const host = m[1] === 'localhost' ? '127.0.0.1' : (m[1] as string);
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'expected a port from 1 to 65535';
  const family = isIP(host);
  if (family === 0)
    return `expected an IP address as the host (names are not resolved), e.g. ${addressExample(examplePort)}`;
  if (family === 6 && !text.startsWith('['))
    return `an IPv6 address is written in brackets: "[::1]:${examplePort}"`;
  return { host, port, family: family as 4 | 6 };
}

/** `127.0.0.1:9615`, `[::1]:9615`. */
export function formatAddress(a: { host: string; port: number }): string {
  return isIP(a.host) === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

export function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.');
  const h = host.toLowerCase();
  return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
}

export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '0:0:0:0:0:0:0:0';
}

/** Two listeners that could not both bind: the same port on the same address, or on a wildcard. */
export function collide(a: ListenAddress, b: ListenAddress): boolean {
  return a.port === b.port && (a.host === b.host || isWildcard(a.host) || isWildcard(b.host));
}
