// An app's probes as Kubernetes probes: the same handler (httpGet, tcpSocket, exec) and the same timing,
// run by the kubelet against the pod. A probe's host is httpGet.host / tcpSocket.host, but for the loopback
// tend defaults to: the kubelet's loopback is the node's, not the pod's, so that one is left out (the pod's
// IP). What has no Kubernetes field (an exec probe's working_dir and env) is warned about by the caller.
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { AppSpec, ProbeSpec } from '../config/spec.js';
import { TendError } from '../protocol/errors.js';
import { isSecretValue, looksSecret } from '../protocol/secrets.js';
import { isLoopback } from './env.js';
import { atMost, K8S_INT32_MAX, seconds } from './units.js';

export type ProbeKind = 'startup' | 'readiness' | 'liveness';

/**
 * A probe port: numbers stay; `$PORT` / `$PORT+instance` are the container's `http` port (instance 0; config
 * already refused `$PORT` for an app without PORT).
 */
function portOf(port: number | string): number | string {
  return typeof port === 'number' ? port : 'http';
}

/**
 * Refuses (TEND_ERR_EXPORT_UNSAFE_VALUE) a `$PORT` probe of an app whose PORT is not in its own env (an
 * env_file's, which the export never reads): the container has no `http` port for it, and a probe on a
 * named port the container lacks fails forever (the pod is never ready, or is killed).
 */
export function assertProbePortKnown(app: AppSpec, spec: ProbeSpec, kind: ProbeKind): void {
  const h = spec.handler;
  const [field, port] =
    'http_get' in h
      ? ['http_get.port', h.http_get.port]
      : 'tcp_socket' in h
        ? ['tcp_socket.port', h.tcp_socket.port]
        : [null, null];
  if (field === null || typeof port !== 'string') return;
  const envPort = Number(app.app_env.PORT);
  if (Number.isInteger(envPort) && envPort > 0 && envPort < 65536) return;
  throw new TendError('TEND_ERR_EXPORT_UNSAFE_VALUE', {
    app: app.name,
    field: `${kind}_probe.${field}`,
    problem: `${port} needs the app's PORT, which is not in its env (an env_file's PORT is not read by the export), so the container would have no "http" port for the probe`,
    fix: "set PORT in the app's env, or give the probe a numeric port",
  });
}

/** `{ host }` for a probe host the kubelet can reach as written; nothing for the pod itself. */
function hostOf(host: string): { host?: string } {
  return isLoopback(host) ? {} : { host };
}

const PROBE_FIX =
  'have the probe read the credential from a variable of the container, which a Secret sets (an exec probe: sh -c \'curl -fsS -H "Authorization: Bearer $TOKEN" http://localhost:3000/\'), or leave the probe to tend-runtime (tend-runtime probe)';

/**
 * Refuses (TEND_ERR_EXPORT_UNSAFE_VALUE) a probe that carries a credential: a header, path or command is
 * written into the manifest as it is, and Kubernetes has no way for a probe to take it from a Secret.
 * The same rule as env (protocol/secrets.ts): a header by its name, its value or its line, the rest by value.
 */
function assertNoCredential(app: string, spec: ProbeSpec, kind: ProbeKind): void {
  const refuse = (field: string): never => {
    throw new TendError('TEND_ERR_EXPORT_UNSAFE_VALUE', {
      app,
      field: `${kind}_probe.${field}`,
      problem: 'looks like a credential, and a Kubernetes probe cannot read one from a Secret',
      fix: PROBE_FIX,
    });
  };
  const h = spec.handler;
  if ('http_get' in h) {
    // As a header line too, as curl's `-H 'Name: value'` in an exec probe is judged (tenth audit:
    // `X-Session-Id: abc123def456` was refused in a command and written out as a header).
    for (const [name, value] of Object.entries(h.http_get.headers))
      if (looksSecret(name, value) || isSecretValue(`${name}: ${value}`)) refuse(`http_get.headers.${name}`);
    if (isSecretValue(h.http_get.path)) refuse('http_get.path');
    if (isSecretValue(h.http_get.host)) refuse('http_get.host');
  } else if ('exec' in h) {
    const command = typeof h.exec.command === 'string' ? [h.exec.command] : h.exec.command;
    if (command.some(isSecretValue) || isSecretValue(command.join(' '))) refuse('exec.command');
  }
}

/**
 * A probe timing in the whole seconds Kubernetes takes (at least `min`), rounded up: warned when that is not
 * the app's value (`period_seconds: 0.5` is `periodSeconds: 1`, and a pod with failure_threshold 3 is
 * unready after 3 s where tend takes 1.5 s: seventh audit).
 */
export function probeSeconds(
  ms: number,
  min: number,
  field: string,
  key: string,
  warn: (message: string) => void,
): number {
  const s = seconds(ms, min);
  if (s * 1000 !== ms)
    warn(
      `${field} ${ms / 1000}: written as ${key}: ${s} (Kubernetes takes whole seconds${min > 0 ? `, at least ${min}` : ''}, rounded up), longer than tend's`,
    );
  return s;
}

/**
 * The kubelet expands `$(VAR)` of the container's env in an exec probe's command too (kubernetes#42273), and
 * reads `$$` as one `$`: a `$` before `(` or `$` is doubled, so the command runs as written, as tend runs it
 * (`$(date)` in an `sh -c` probe is the shell's, not the kubelet's). Any other `$` (`$TOKEN`, `"$0"`) the
 * kubelet leaves alone, and it stays as it is, readable.
 */
export const probeLiteral = (word: string) => word.replace(/\$(?=[$(])/g, '$$$$');

/**
 * An exec probe's argv run in `dir` (relative to the container's working directory, the image's WORKDIR,
 * where the kubelet runs it): `sh -c 'cd -- "$0" && exec "$@"' <dir> <argv…>`. The directory and the words
 * are arguments, not shell text: nothing to quote, and the command runs as it would have (a string command
 * is still `/bin/sh -c <command>`). `$0`/`$@` are not `$(VAR)`, which the kubelet would expand.
 */
export function execInDir(dir: string, argv: readonly string[]): string[] {
  return ['/bin/sh', '-c', 'cd -- "$0" && exec "$@"', dir, ...argv];
}

/**
 * `cwd`: the app's cwd relative to the image's WORKDIR (image-paths.ts cwdInImage), where tend runs an exec
 * probe without a working_dir; null when it is not in the image as such (warned: the probe runs in WORKDIR).
 */
export function k8sProbe(
  app: string,
  spec: ProbeSpec,
  kind: ProbeKind,
  warn: (message: string) => void,
  cwd: string | null = '.',
): IProbe {
  assertNoCredential(app, spec, kind);
  // int32 fields: a larger number is refused by the API server (and `1e+21` is no integer at all).
  const int32 = (key: string, n: number) =>
    atMost(n, K8S_INT32_MAX, (max) => warn(`${key} ${max}: the most Kubernetes takes (an int32)`));
  /** A timing field in Kubernetes' whole seconds (probeSeconds), within an int32. */
  const secs = (key: string, field: string, ms: number, min: number) =>
    int32(key, probeSeconds(ms, min, field, key, warn));
  const timing = {
    ...(spec.initial_delay_ms > 0
      ? {
          initialDelaySeconds: secs('initialDelaySeconds', 'initial_delay_seconds', spec.initial_delay_ms, 0),
        }
      : {}),
    periodSeconds: secs('periodSeconds', 'period_seconds', spec.period_ms, 1),
    timeoutSeconds: secs('timeoutSeconds', 'timeout_seconds', spec.timeout_ms, 1),
    // Kubernetes requires 1 for liveness and startup probes (tend's config does too).
    successThreshold: kind === 'readiness' ? int32('successThreshold', spec.success_threshold) : 1,
    failureThreshold: int32('failureThreshold', spec.failure_threshold),
  };
  const h = spec.handler;
  if ('http_get' in h) {
    const g = h.http_get;
    const headers = Object.keys(g.headers)
      .sort()
      .map((name) => ({ name, value: g.headers[name] as string }));
    return {
      httpGet: {
        ...hostOf(g.host),
        path: g.path,
        port: portOf(g.port),
        scheme: g.scheme === 'https' ? 'HTTPS' : 'HTTP',
        ...(headers.length > 0 ? { httpHeaders: headers } : {}),
      },
      ...timing,
    };
  }
  if ('tcp_socket' in h)
    return { tcpSocket: { ...hostOf(h.tcp_socket.host), port: portOf(h.tcp_socket.port) }, ...timing };
  const e = h.exec;
  if (e.working_dir !== null || Object.keys(e.env).length > 0)
    warn('exec probe working_dir/env: no equivalent in Kubernetes (the command runs in the image WORKDIR)');
  const argv = typeof e.command === 'string' ? ['/bin/sh', '-c', e.command] : [...e.command];
  // tend runs the probe in the app's cwd; the kubelet in the container's working directory (fifth audit: a
  // probe `test -f ready.flag` of an app in sub/ failed forever in the pod, and passed under tend).
  if (e.working_dir === null && cwd === null)
    warn(
      "exec probe: tend runs it in the app's cwd, which is not in the image as such (an absolute host path, or outside the build context): the kubelet runs it in the image's WORKDIR; give the probe paths that hold there",
    );
  const words = e.working_dir === null && cwd !== null && cwd !== '.' ? execInDir(cwd, argv) : argv;
  return { exec: { command: words.map(probeLiteral) }, ...timing };
}
