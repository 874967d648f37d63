// The readiness, probe, reload-gate and dependency settings of one app, resolved once its cwd, environment
// and mode are known (config/app-checks.ts calls this for every selected app, in the same pass as the other
// checks): exec probes' working_dir against the cwd, a `$PORT` port against the app's PORT, and cluster
// mode's shared port. Problems go to `issues`, remarks to `notes`.
import type { DependencyIn } from './depends-on-field.js';
import { type ConfigIssue, describeValue, formatPath } from './issues.js';
import { isDirectory, resolvePath } from './paths.js';
import type { ProbeIn } from './probe-field.js';
import { defaultOf } from './registry/index.js';
import type { ExecMode, HealthSpec, ProbeSpec } from './spec.js';

/** These fields as the app schema outputs them. */
export interface HealthFieldsIn {
  ready_log_line?: string;
  on_ready_timeout?: 'fail' | 'assume_ready';
  listen_timeout?: number;
  watchdog_sec?: number;
  startup_probe?: ProbeIn;
  readiness_probe?: ProbeIn;
  liveness_probe?: ProbeIn;
  probe_via?: 'any_worker';
  max_surge?: number;
  min_ready_seconds?: number;
  depends_on?: DependencyIn[];
}

export interface HealthContext {
  readonly location: string;
  readonly cwd: string;
  /** The cwd exists: paths relative to it can be checked. */
  readonly cwdOk: boolean;
  readonly home: string;
  /** The app's environment (before tend's per-instance variables): `$PORT` expands from its PORT. */
  readonly env: Readonly<Record<string, string>>;
  /** The environment's fields had no problem of their own (else a `$PORT` port is not checked against it). */
  readonly envOk: boolean;
  readonly execMode: ExecMode;
  readonly instances: number;
}

const PROBES = ['startup_probe', 'readiness_probe', 'liveness_probe'] as const;

export function healthFields(
  f: HealthFieldsIn,
  c: HealthContext,
  issues: ConfigIssue[],
  notes: string[],
): HealthSpec {
  const probes: Record<(typeof PROBES)[number], ProbeSpec | null> = {
    startup_probe: null,
    readiness_probe: null,
    liveness_probe: null,
  };
  let sharedPort = false;
  for (const field of PROBES) {
    const probe = f[field];
    if (probe === undefined) continue;
    probes[field] = resolveProbe(field, probe, c, issues);
    const port = portOf(probe.spec);
    if (port === null) continue;
    const at = formatPath(c.location, [field, probe.handlerKey, 'port']);
    if (typeof port === 'string' && c.envOk) portFormIssue(port, at, c, issues);
    // A per-instance port reaches its own worker; a fixed one, or $PORT, the cluster's shared listener.
    if (c.execMode === 'cluster' && port !== '$PORT+instance') {
      sharedPort = true;
      if (f.probe_via === undefined) issues.push({ path: at, message: clusterMessage(port, c) });
    }
  }
  if (f.probe_via !== undefined && !sharedPort)
    notes.push(
      `${c.location}: probe_via has no effect: no HTTP or TCP probe on a cluster's shared port (TEND_ERR_CONFIG_IGNORED)`,
    );
  return {
    ready_log_line: f.ready_log_line ?? null,
    on_ready_timeout: f.on_ready_timeout ?? defaultOf('on_ready_timeout'),
    listen_timeout_set: f.listen_timeout !== undefined,
    watchdog_ms: f.watchdog_sec ?? defaultOf('watchdog_sec'),
    ...probes,
    probe_via: f.probe_via ?? null,
    max_surge: f.max_surge ?? defaultOf('max_surge'),
    min_ready_ms: f.min_ready_seconds ?? defaultOf('min_ready_seconds'),
    depends_on: (f.depends_on ?? []).map((d) => d.dep),
  };
}

function portOf(spec: ProbeSpec): number | string | null {
  const h = spec.handler;
  if ('http_get' in h) return h.http_get.port;
  if ('tcp_socket' in h) return h.tcp_socket.port;
  return null;
}

/** An exec probe's working_dir, absolute (null: the app's cwd at run time); it must exist. */
function resolveProbe(field: string, probe: ProbeIn, c: HealthContext, issues: ConfigIssue[]): ProbeSpec {
  const h = probe.spec.handler;
  if (!('exec' in h) || h.exec.working_dir === null) return probe.spec;
  const dir = resolvePath(c.cwd, h.exec.working_dir, c.home);
  if (c.cwdOk && !isDirectory(dir))
    issues.push({
      path: formatPath(c.location, [field, 'exec', 'working_dir']),
      message: `expected an existing directory (relative to ${c.cwd}), got ${describeValue(dir)}`,
    });
  return { ...probe.spec, handler: { exec: { ...h.exec, working_dir: dir } } };
}

/** `$PORT…` expands per instance from the app's PORT: it must have one, and every instance a valid port. */
function portFormIssue(form: string, at: string, c: HealthContext, issues: ConfigIssue[]): void {
  const written = c.env.PORT;
  const base = written !== undefined && /^\d+$/.test(written.trim()) ? Number(written) : null;
  const last = base === null ? null : base + (form === '$PORT+instance' ? c.instances - 1 : 0);
  if (base === null || base < 1 || last === null || last > 65535)
    issues.push({
      path: at,
      message:
        written === undefined
          ? `"${form}" expands to the app's PORT, and the app has none: set "port" or env.PORT`
          : base === null || base < 1
            ? `"${form}" expands to the app's PORT, and it is ${describeValue(written)}, not a port number`
            : `"${form}" expands to ${last} for the last instance: more than 65535`,
    });
}

function clusterMessage(port: number | string, c: HealthContext): string {
  const shared = port === '$PORT' ? `"$PORT" (${c.env.PORT ?? 'PORT'})` : String(port);
  return (
    `in cluster mode the workers share port ${shared}, so this probe reaches any worker, not the instance ` +
    `it is for; use "$PORT+instance" (each worker also listening on PORT + its instance number), an exec ` +
    `probe, wait_ready, or set probe_via: "any_worker" to accept it`
  );
}
