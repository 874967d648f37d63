// /livez, /readyz, /startupz (issue 14): the daemon's and its apps' health for a kubelet or a load balancer,
// in the kube-apiserver's words: `ok`, or a line per check (`[+]api ok`, `[-]worker not ready (waiting: …)`)
// and a verdict line, with `?verbose` or whenever a check fails. Read from the supervisor at each request.
import type { DaemonContext } from '../daemon/context.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import type { Exposition } from './index.js';

export type HealthEndpoint = 'livez' | 'readyz' | 'startupz';

interface Check {
  name: string;
  ok: boolean;
  /** What follows the name: `ok`, `not ready (…)`. */
  text: string;
}

/** Statuses of a start that has not settled yet (startupz waits for none to be left). */
const STARTING = new Set(['launching', 'waiting']);

/** Daemons whose start-up has been seen complete: startupz stays 200 from then on, as a kubelet expects. */
const started = new WeakSet<DaemonContext>();

/**
 * The answer to GET /<which>[?verbose][&app=NAME]: 200 or 503, plain text (a line per check with `verbose`).
 * `app` (issue 15: `tend-runtime probe --app NAME`, a probe per app): only that app's check; 404 when there
 * is no such app. livez?app=NAME fails while the app is errored (it gave up restarting).
 */
export function healthEndpoint(
  daemon: DaemonContext,
  which: HealthEndpoint,
  verbose: boolean,
  app: string | null = null,
): Exposition {
  if (app !== null && !daemon.supervisor.app(app))
    return {
      status: 404,
      contentType: 'text/plain; charset=utf-8',
      body: `[-]${app} no such app\n${which} check failed\n`,
    };
  const checks =
    which === 'livez'
      ? app === null
        ? [{ name: daemon.role ?? 'daemon', ok: true, text: 'ok' }]
        : livezOf(daemon, app)
      : which === 'readyz'
        ? readyz(daemon, app)
        : startupz(daemon, app);
  const ok = checks.every((c) => c.ok);
  const lines =
    verbose || !ok
      ? [
          ...checks.map((c) => `[${c.ok ? '+' : '-'}]${c.name} ${c.text}`),
          `${which} check ${ok ? 'passed' : 'failed'}`,
        ]
      : ['ok'];
  return { status: ok ? 200 : 503, contentType: 'text/plain; charset=utf-8', body: `${lines.join('\n')}\n` };
}

/** Ready when every app wanted up has all its wanted-up instances online and ready. */
function readyz(daemon: DaemonContext, only: string | null): Check[] {
  const checks: Check[] = [];
  if (daemon.isShuttingDown())
    checks.push({ name: daemon.role ?? 'daemon', ok: false, text: 'shutting down' });
  const held = daemon.heldEnds?.();
  for (const app of daemon.supervisor.apps()) {
    if (only !== null && app.name !== only) continue;
    // tend-runtime: a debugging command started over the control socket, errored, must not make the pod
    // unready for good (verification of the eighth audit).
    if (only === null && daemon.counts?.(app.name) === false) continue;
    const ended = held?.get(app.name);
    if (ended !== undefined) {
      checks.push({ name: app.name, ok: false, text: `not ready (${endedText(ended)})` });
      continue;
    }
    const wanted = app.units().filter((u) => u.wanted === 'up');
    if (wanted.length === 0) {
      // Wanted down but still running: a shutdown's --shutdown-delay, or its ordered stop (seventh audit:
      // "ok (stopped)" for apps still serving).
      const running = app.units().some((u) => u.pid !== null);
      checks.push({ name: app.name, ok: true, text: running ? 'ok (stopping)' : 'ok (stopped)' });
      continue;
    }
    const late = wanted.filter((u) => !isReady(u));
    if (late.length === 0) {
      checks.push({ name: app.name, ok: true, text: 'ok' });
      continue;
    }
    const count = wanted.length > 1 ? `${wanted.length - late.length}/${wanted.length} ready; ` : '';
    checks.push({ name: app.name, ok: false, text: `not ready (${count}${describe(late)})` });
  }
  return checks;
}

/**
 * Started once no instance is in the middle of a start (launching, or waiting for its dependencies): the
 * daemon's context exists only after recovery has restored and started the saved list (daemon/main.ts), so
 * this is "recovery finished and the first starts settled". Once seen, it stays so.
 */
function startupz(daemon: DaemonContext, only: string | null): Check[] {
  if (started.has(daemon)) return [{ name: 'startup', ok: true, text: 'ok' }];
  const checks: Check[] = [];
  for (const app of daemon.supervisor.apps()) {
    if (only !== null && app.name !== only) continue;
    if (only === null && daemon.counts?.(app.name) === false) continue;
    const starting = app.units().filter((u) => STARTING.has(u.status));
    if (starting.length > 0)
      checks.push({ name: app.name, ok: false, text: `starting (${describe(starting)})` });
  }
  if (checks.length > 0) return checks;
  // Latched for the whole daemon only when every app was asked about.
  if (only === null) started.add(daemon);
  return [{ name: only ?? 'startup', ok: true, text: 'ok' }];
}

/**
 * One app's liveness: failing while an instance is errored (its restarts were given up), or, in
 * tend-runtime --no-auto-exit, while its end is held (nothing will restart it).
 */
function livezOf(daemon: DaemonContext, name: string): Check[] {
  const ended = daemon.heldEnds?.().get(name);
  if (ended !== undefined) return [{ name, ok: false, text: `not live (${endedText(ended)})` }];
  const errored = (daemon.supervisor.app(name)?.units() ?? []).filter((u) => u.status === 'errored');
  return [
    errored.length === 0
      ? { name, ok: true, text: 'ok' }
      : { name, ok: false, text: `not live (${describe(errored)})` },
  ];
}

/** A held end (DaemonContext.heldEnds) on a check's line. */
function endedText(why: string): string {
  return `ended, not restarted: ${why}`.replace(/\s+/g, ' ').slice(0, 300);
}

function isReady(u: ProcessUnit): boolean {
  return u.status === 'online' && u.health.isReady;
}

/** `waiting: db is not ready; launching`: each distinct status (and reason) of these instances, on one line. */
function describe(units: readonly ProcessUnit[]): string {
  const parts = new Set<string>();
  for (const u of units) {
    const { status, reason } = u.info();
    if (status === 'online') parts.add('online, readiness failing');
    else parts.add(reason ? `${status}: ${reason}` : status);
  }
  return [...parts].join('; ').replace(/\s+/g, ' ').slice(0, 300);
}
