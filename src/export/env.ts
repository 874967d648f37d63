// Which of an app's variables an export may write as they are. Only the app's own variables (`env`, `port`,
// the selected `env_<name>`) are exported, never the shell's: the target machine has its own environment.
// A variable that looks secret, by its name or its value (protocol/secrets.ts: the rule `tend env` masks
// with), is never written: the renderers reference it (EnvironmentFile, a Secret's key) and warn. env_file
// contents are never written: the files are referenced by path or name (env-file-check.ts reads them for
// systemd only to warn where its syntax reads a line otherwise).
import type { AppSpec } from '../config/spec.js';
import { looksSecret } from '../protocol/secrets.js';

export interface SplitEnv {
  /** Name/value pairs safe to write, sorted by name; a lone surrogate in a value is U+FFFD (wellFormed). */
  readonly plain: readonly (readonly [string, string])[];
  /** Names of variables that look secret, sorted. */
  readonly secret: readonly string[];
  /** Names of plain variables whose value held a lone surrogate, written as U+FFFD (the renderers warn). */
  readonly replaced: readonly string[];
}

/** Warns about a field of an app (`env.A`), as the renderers' `w`. */
export type EnvWarn = (field: string, message: string) => void;

/**
 * `env.A, env.b.c` as a warning's or an error's field. A name that would not read as one there is
 * JSON-quoted, `env[""]`: empty, or with a comma or a quote (the list's own characters), or a line break or
 * another control character, which would end the message's line (eighth audit).
 */
export function envFields(names: readonly string[]): string {
  return names
    .map((n) => (/^[^\p{Cc}\u2028\u2029,"]+$/u.test(n) ? `env.${n}` : `env[${JSON.stringify(n)}]`))
    .join(', ');
}

/**
 * The names among `names` that the target does not `take`, warned (one warning, `why`, naming each) for the
 * caller to leave out. The one way a target drops a variable it cannot set, systemd's Environment= and
 * compose's environment: alike (eighth audit: compose wrote `"": v`, which the compose spec refuses, and
 * `A=B: w`, which Docker sets as A = "B=w", with no warning, where systemd left both out, warned).
 */
export function leftOutNames(
  names: readonly string[],
  takes: (name: string) => boolean,
  w: EnvWarn,
  why: string,
): ReadonlySet<string> {
  const left = names.filter((n) => !takes(n));
  if (left.length > 0) w(envFields(left), why);
  return new Set(left);
}

/** A UTF-16 surrogate without its pair: no UTF-8 text holds one. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * The value with each lone surrogate replaced by U+FFFD, as the process would get it: Node encodes a
 * child's environment as UTF-8, which has no lone surrogates, and writes U+FFFD instead. YAML has no way to
 * write one either: the `yaml` library's `"\ud800"` made kubectl and docker compose refuse the whole file
 * ("found invalid Unicode character escape code") while --check said ok (verification of the seventh audit).
 */
export function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE_ALL, '\ufffd');
}

export function splitEnv(app: AppSpec): SplitEnv {
  const names = Object.keys(app.app_env).sort();
  const secret = (n: string) => looksSecret(n, app.app_env[n]);
  const plain = names.filter((n) => !secret(n));
  return {
    plain: plain.map((n) => [n, wellFormed(app.app_env[n] as string)] as const),
    secret: names.filter(secret),
    replaced: plain.filter((n) => LONE_SURROGATE.test(app.app_env[n] as string)),
  };
}

/**
 * Hosts that are this machine to tend: the loopback names, the wildcard addresses (a connection to 0.0.0.0
 * or :: reaches the local host on Linux) and all of 127.0.0.0/8, IPv4 or IPv4-mapped. From the kubelet any
 * of them is the node, not the pod (seventh audit: `host: 0.0.0.0` was written as httpGet.host). Compared
 * in their canonical spelling (canonicalHost): `0`, `::0`, `0:0:0:0:0:0:0:1` and `localhost.` are this
 * machine too, and were written as the host (verification of the seventh audit).
 */
const LOCAL = new Set(['localhost', '0.0.0.0', '[::]', '[::1]']);
/** 127.0.0.0/8 as the URL parser writes it, and IPv4-mapped (`[::ffff:7f00:1]`, `[::ffff:0:0]` is 0.0.0.0). */
const LOCAL_V4 = /^(?:127(?:\.\d{1,3}){3}|\[::ffff:(?:7f[0-9a-f]{2}:[0-9a-f]{1,4}|0:0)\])$/;
/**
 * Only what getaddrinfo takes as written goes through the URL parser: it would also decode `%68`, map
 * full-width letters (IDNA), drop tabs and read `x@localhost` as a user and a host, none of which the
 * prober's connect does.
 */
const PLAIN_HOST = /^[a-z0-9._:[\]-]+$/i;

/**
 * The host in one spelling: an IP address as the WHATWG URL parser writes it (inet_aton's forms too: `0`,
 * `127.1` and `0x7f.1` are dotted quads; IPv6 compressed, in brackets: `[::]`, `[::1]`), a name in lower
 * case without one trailing dot (`localhost.` is the fully qualified `localhost`).
 */
export function canonicalHost(host: string): string {
  let h = host.toLowerCase();
  if (PLAIN_HOST.test(h)) {
    const bracketed = h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
    try {
      h = new URL(`http://${bracketed}/`).hostname;
    } catch {
      // Not an address the parser takes (`999.1.1.1`, `a:b`): compared as written.
    }
  }
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** The probe host tend defaults to, the machine itself: in a pod, the pod (k8s-probes.ts leaves it out). */
export function isLoopback(host: string): boolean {
  const h = canonicalHost(host);
  return LOCAL.has(h) || LOCAL_V4.test(h);
}

/** The app's PORT when it is set but is no TCP port (`70000`, `abc`, `0`): the export warns (fourth audit). */
export function badPort(app: AppSpec): string | null {
  const raw = app.app_env.PORT;
  if (raw === undefined) return null;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 && n < 65536 ? null : String(raw);
}

/** The app's port, when one is known: PORT in its own environment, else a numeric port the app is probed on. */
export function knownPort(app: AppSpec): number | null {
  const fromEnv = Number(app.app_env.PORT);
  if (Number.isInteger(fromEnv) && fromEnv > 0 && fromEnv < 65536) return fromEnv;
  for (const probe of [app.readiness_probe, app.liveness_probe, app.startup_probe]) {
    const h = probe?.handler;
    if (!h) continue;
    const target = 'http_get' in h ? h.http_get : 'tcp_socket' in h ? h.tcp_socket : null;
    // A probe of another host (a sidecar, a database) says nothing of the app's own port.
    if (target && typeof target.port === 'number' && isLoopback(target.host)) return target.port;
  }
  return null;
}
