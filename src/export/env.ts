// Which of an app's variables an export may write as they are. Only the app's own variables (`env`, `port`,
// the selected `env_<name>`) are exported, never the shell's: the target machine has its own environment.
// A variable that looks secret, by its name or its value (protocol/secrets.ts: the rule `tend env` masks
// with), is never written: the renderers reference it (EnvironmentFile, a Secret's key) and warn. env_file
// contents are never written: the files are referenced by path or name (env-file-check.ts reads them for
// systemd only to warn where its syntax reads a line otherwise).
import type { AppSpec } from '../config/spec.js';
import { looksSecret } from '../protocol/secrets.js';

export interface SplitEnv {
  /** Name/value pairs safe to write, sorted by name. */
  readonly plain: readonly (readonly [string, string])[];
  /** Names of variables that look secret, sorted. */
  readonly secret: readonly string[];
}

export function splitEnv(app: AppSpec): SplitEnv {
  const names = Object.keys(app.app_env).sort();
  const secret = (n: string) => looksSecret(n, app.app_env[n]);
  return {
    plain: names.filter((n) => !secret(n)).map((n) => [n, app.app_env[n] as string] as const),
    secret: names.filter(secret),
  };
}

/**
 * Hosts that are this machine to tend: the loopback names, the wildcard addresses (a connection to 0.0.0.0
 * or :: reaches the local host on Linux) and all of 127.0.0.0/8 (`127.0.0.2`, inet_aton's `127.1`), IPv4
 * or IPv4-mapped. From the kubelet any of them is the node, not the pod (seventh audit: `host: 0.0.0.0`
 * was written as httpGet.host).
 */
const LOOPBACK = new Set(['localhost', '::1', '[::1]', '0.0.0.0', '::', '[::]']);
const LOOPBACK_V4 = /^(?:\[?::ffff:)?127(?:\.\d{1,3}){1,3}\]?$/;

/** The probe host tend defaults to, the machine itself: in a pod, the pod (k8s-probes.ts leaves it out). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK.has(h) || LOOPBACK_V4.test(h);
}

/** The app's port, when one is known: PORT in its own environment, else a numeric port the app is probed on. */
/** The app's PORT when it is set but is no TCP port (`70000`, `abc`, `0`): the export warns (fourth audit). */
export function badPort(app: AppSpec): string | null {
  const raw = app.app_env.PORT;
  if (raw === undefined) return null;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 && n < 65536 ? null : String(raw);
}

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
