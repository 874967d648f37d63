// What kind of service unit an app becomes, and a one-shot's timer. A one-shot (`autorestart: false`) that
// another app waits to complete is Type=oneshot: its start ends when it exits, so After= in the dependent
// waits for that. A one-shot with cron_restart whose schedule OnCalendar= says exactly
// (systemd-calendar.ts) is Type=oneshot too, run with --no-cron, and a <unit>.timer starts it at each tick
// (tend-runtime kept the schedule before and never exited: a dependent waited forever). A schedule with no
// exact translation stays tend-runtime's (the unit never completes: Type=exec), and is warned.
import type { AppSpec } from '../config/spec.js';
import { readyGate } from '../health/readiness.js';
import { dstDifference } from './dst.js';
import { hashComment } from './header.js';
import type { ExportInput } from './model.js';
import { onCalendar, timesOfDay } from './systemd-calendar.js';

const COMPLETION: readonly string[] = ['process_completed', 'process_completed_successfully'];

export type UnitKind =
  /** Type=oneshot, RemainAfterExit=yes: a one-shot others wait to complete. */
  | { readonly type: 'oneshot' }
  /**
   * Type=oneshot started by a timer (and at boot), `--no-cron`; `dst`: what systemd does differently from
   * tend on the zone's daylight saving changeover days (dst.ts), when it does.
   */
  | { readonly type: 'timer'; readonly calendar: string; readonly dst: string | null }
  /** Type=notify: a readiness gate (tend-runtime sends READY=1 once it passed). */
  | { readonly type: 'notify' }
  /** Type=exec; `cronKept`: a one-shot whose schedule tend-runtime keeps (why OnCalendar= cannot say it). */
  | { readonly type: 'exec'; readonly cronKept?: string };

/** The apps some app waits to complete (process_completed, process_completed_successfully). */
export function waitedToComplete(apps: readonly AppSpec[]): Set<string> {
  return new Set(
    apps.flatMap((a) => a.depends_on.filter((d) => COMPLETION.includes(d.condition)).map((d) => d.name)),
  );
}

export function unitKind(
  app: AppSpec,
  waited: ReadonlySet<string>,
  version: number | null,
  localZone: string,
  now: number = Date.now(),
): UnitKind {
  if (!app.autorestart && app.cron_restart !== null) {
    const cal = onCalendar(app.cron_restart, app.cron_restart_tz, version);
    if ('calendar' in cal) {
      const times = timesOfDay(app.cron_restart);
      const dst = times && dstDifference(times, app.cron_restart_tz ?? localZone, now);
      return { type: 'timer', calendar: cal.calendar, dst };
    }
    return { type: 'exec', cronKept: cal.problem };
  }
  if (!app.autorestart && waited.has(app.name)) return { type: 'oneshot' };
  return { type: readyGate(app) !== 'spawn' ? 'notify' : 'exec' };
}

/** Whether the unit's start-up job ends when it exits (Type=oneshot): After= in a dependent waits for that. */
export function completesOnStart(kind: UnitKind): boolean {
  return kind.type === 'oneshot' || kind.type === 'timer';
}

/** `<unit>.timer` for a one-shot on its cron_restart schedule. */
export function timerUnit(app: AppSpec, unit: string, calendar: string, input: ExportInput): string {
  const tz = app.cron_restart_tz !== null ? ` (cron_restart_tz ${app.cron_restart_tz})` : '';
  return [
    hashComment(input, 'systemd').trimEnd(),
    '[Unit]',
    `Description=${app.name.replaceAll('%', '%%')} on its cron_restart schedule (tend export)`,
    `# cron_restart: ${app.cron_restart}${tz}`,
    '',
    '[Timer]',
    `OnCalendar=${calendar}`,
    // tend runs a one-shot when it starts (the service's WantedBy=) and at each tick; a tick missed while
    // the machine was off is not run afterwards, as with tend.
    'Persistent=false',
    // The default (1 min) would let a tick fire up to a minute late.
    'AccuracySec=1s',
    `Unit=${unit}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}
