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

/** The answer to GET /<which>[?verbose]: 200 or 503, plain text (a line per check with `verbose`). */
export function healthEndpoint(daemon: DaemonContext, which: HealthEndpoint, verbose: boolean): Exposition {
  const checks =
    which === 'livez'
      ? [{ name: 'daemon', ok: true, text: 'ok' }]
      : which === 'readyz'
        ? readyz(daemon)
        : startupz(daemon);
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
function readyz(daemon: DaemonContext): Check[] {
  const checks: Check[] = [];
  if (daemon.isShuttingDown()) checks.push({ name: 'daemon', ok: false, text: 'shutting down' });
  for (const app of daemon.supervisor.apps()) {
    const wanted = app.units().filter((u) => u.wanted === 'up');
    if (wanted.length === 0) {
      checks.push({ name: app.name, ok: true, text: 'ok (stopped)' });
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
function startupz(daemon: DaemonContext): Check[] {
  if (started.has(daemon)) return [{ name: 'startup', ok: true, text: 'ok' }];
  const checks: Check[] = [];
  for (const app of daemon.supervisor.apps()) {
    const starting = app.units().filter((u) => STARTING.has(u.status));
    if (starting.length > 0)
      checks.push({ name: app.name, ok: false, text: `starting (${describe(starting)})` });
  }
  if (checks.length > 0) return checks;
  started.add(daemon);
  return [{ name: 'startup', ok: true, text: 'ok' }];
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
