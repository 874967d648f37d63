// The daemon under `tend startup`'s unit (src/startup/systemd-unit.ts): systemd runs it in the foreground
// with TEND_SYSTEMD_RESURRECT=1. Once it serves its socket, it restores the list `tend save` wrote, waiting
// for the apps' start gates (the resurrect handler's own wait), then tells systemd it is ready (READY=1
// through systemd-notify: systemd-ready.ts). Without NOTIFY_SOCKET (Type=exec, or not under systemd) there
// is nobody to tell.
//
// The wait is bounded by the list's start budget (startup/timeouts.ts, the budget the unit's TimeoutStartSec
// was written from): an app whose readiness probe never passes must not hold the boot for good
// (multi-user.target waits for this unit). READY=1 then comes with a STATUS= that names what is not ready,
// and so does a resurrect that failed: `systemctl status` shows it, and the line goes to stderr (the
// journal), not only to daemon.log (the sixth audit: "tend daemon ready" with a crash-looping app or no
// apps at all). The unit's timeouts were computed when `tend startup` ran: for a list saved since then that
// needs longer, the daemon asks systemd for the time (EXTEND_TIMEOUT_USEC), at start and at stop.
import { isTendError } from '../protocol/errors.js';
import type { ProcessInfo } from '../protocol/process-info.js';
import { savedSpecs, startBudgetMs } from '../startup/timeouts.js';
import type { DaemonContext } from './context.js';
import { handleResurrect } from './handlers/persistence.js';
import { extendTimeout, notifyReady } from './systemd-ready.js';

/** No request connection here: resurrect does not use one. */
const NO_CONNECTION = {
  helloGate: false,
  greeted: true,
  sendEvent: () => {},
  onClose: () => {},
  backlog: () => 0,
};

/** Node and the apps' processes starting, before their own budgets begin. */
const START_SLACK_MS = 2000;
/** What the extensions ask for beyond the budgets: the unit's own margin. */
const MARGIN_MS = 15_000;
/** The unit's timeouts are never below systemd's default (startup/timeouts.ts): no need to ask for less. */
const UNIT_FLOOR_MS = 90_000;
/** setTimeout's longest delay: a budget past it is waited for without a timer (TimeoutStartSec=infinity). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SystemdService {
  /** Restores the saved list (TEND_SYSTEMD_RESURRECT=1) and sends READY=1 (NOTIFY_SOCKET). */
  started(ctx: DaemonContext): Promise<void>;
  /** At a stop signal: asks systemd for the time the running apps' kill_timeouts need. */
  stopping(ctx: DaemonContext): void;
}

/**
 * Takes TEND_SYSTEMD_RESURRECT and NOTIFY_SOCKET out of `env` at once: neither belongs to the apps (an app
 * sending STOPPING=1 or WATCHDOG=1 on tend's socket would act on tend).
 */
export function systemdService(env: NodeJS.ProcessEnv = process.env): SystemdService {
  const resurrect = env.TEND_SYSTEMD_RESURRECT === '1';
  const socket = env.NOTIFY_SOCKET;
  delete env.TEND_SYSTEMD_RESURRECT;
  delete env.NOTIFY_SOCKET;
  let stopAsked = false;
  return {
    async started(ctx) {
      if (!resurrect && !socket) return;
      let status = 'tend daemon ready';
      if (resurrect) {
        const budget = startBudgetMs(savedSpecs(ctx.paths.home)) + START_SLACK_MS;
        if (socket && budget + MARGIN_MS > UNIT_FLOOR_MS)
          void extendTimeout(socket, env, ctx.log, budget + MARGIN_MS);
        const problem = await restore(ctx, budget);
        if (problem) {
          status = problem;
          process.stderr.write(`tend: ${problem}\n`);
        }
        ctx.log(`systemd start: ${status}`);
      }
      // A stop signal came while the list was restored: systemd is stopping the unit, READY=1 would say
      // "ready" of a daemon on its way out.
      if (socket && !ctx.isShuttingDown()) await notifyReady(socket, env, ctx.log, status);
    },
    stopping(ctx) {
      if (!socket || stopAsked) return;
      stopAsked = true;
      // Apps stop in reverse dependency order, each within its kill_timeout: the sum bounds the stop.
      const ms = ctx.supervisor.apps().reduce((total, app) => total + app.spec.kill_timeout, 0);
      if (ms + MARGIN_MS > UNIT_FLOOR_MS) void extendTimeout(socket, env, ctx.log, ms + MARGIN_MS);
    },
  };
}

/** Restores the saved list within `budget` ms; what went wrong as a STATUS= line, or null. */
async function restore(ctx: DaemonContext, budget: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    if (budget <= MAX_TIMER_MS) timer = setTimeout(() => resolve('late'), budget);
  });
  try {
    const r = await Promise.race([handleResurrect({}, ctx, NO_CONNECTION), late]);
    if (r === 'late') {
      const waiting = notReady(ctx.supervisor.list());
      return `not ready after the saved list's start budget (${Math.ceil(budget / 1000)} s): ${waiting || 'the resurrect is still running'} (tend ls)`;
    }
    ctx.log(`systemd start: resurrected ${r.processes.length} process(es) from ${r.file}`);
    const waiting = notReady(r.processes);
    return waiting ? `started, but not ready: ${waiting} (tend ls)` : null;
  } catch (err) {
    // Nothing saved yet (TEND_ERR_DUMP_NOT_FOUND) is an empty daemon, not a failed service.
    if (isTendError(err) && err.code === 'TEND_ERR_DUMP_NOT_FOUND') {
      ctx.log(`systemd start: nothing to resurrect: ${err.message}`);
      return null;
    }
    const message = err instanceof Error ? err.message.replace(/\n/g, '; ') : String(err);
    return `resurrect failed: ${message}${isTendError(err) ? ` (${err.code})` : ''}`;
  } finally {
    clearTimeout(timer);
  }
}

/** "api[0] errored, web[1] launching": the wanted-up processes that are not online and ready. */
function notReady(processes: readonly ProcessInfo[]): string {
  return processes
    .filter((p) => p.wanted === 'up' && !p.completed && !(p.status === 'online' && p.ready))
    .map((p) => `${p.name}[${p.instance}] ${p.status === 'online' ? 'not ready' : p.status}`)
    .join(', ');
}
