// What kind of service unit an app becomes, and a one-shot's timer. A one-shot (`autorestart: false`) that
// another app waits to complete is Type=oneshot: its start ends when it exits, so After= in the dependent
// waits for that. A one-shot with cron_restart whose schedule OnCalendar= says exactly
// (systemd-calendar.ts) is run with --no-cron, and a <unit>.timer starts it at each tick (tend-runtime kept
// the schedule before and never exited: a dependent waited forever). A schedule with no exact translation
// stays tend-runtime's (the unit never completes: Type=exec), and is warned.
//
// Type=oneshot only where a dependent's After= must wait for the exit (sixth audit): systemd gives a oneshot
// no start timeout, and multi-user.target is ordered after every unit it wants (WantedBy=), so a scheduled
// one-shot that tend runs once at start (its service is WantedBy=multi-user.target, as PM2 runs a cron app
// at start) held the boot until its run ended, and forever if it hung. Nobody waiting for its exit, it is
// Type=exec: its start-up ends once it runs, the boot goes on, and the timer still finds it inactive once it
// exited. A one-shot others wait to complete holds them, and so the boot, whatever its type.
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
   * Started by a timer (and at boot), `--no-cron`: Type=oneshot when `oneshot` (another app waits for it to
   * complete), else Type=exec; `dst`: what systemd does differently from tend on the zone's daylight saving
   * changeover days (dst.ts), when it does.
   */
  | {
      readonly type: 'timer';
      readonly calendar: string;
      readonly dst: string | null;
      readonly oneshot: boolean;
    }
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
      return { type: 'timer', calendar: cal.calendar, dst, oneshot: waited.has(app.name) };
    }
    return { type: 'exec', cronKept: cal.problem };
  }
  if (!app.autorestart && waited.has(app.name)) return { type: 'oneshot' };
  return { type: readyGate(app) !== 'spawn' ? 'notify' : 'exec' };
}

/** Whether the unit's start-up job ends when it exits (Type=oneshot): After= in a dependent waits for that. */
export function completesOnStart(kind: UnitKind): boolean {
  return kind.type === 'oneshot' || (kind.type === 'timer' && kind.oneshot);
}

/** `<unit>.timer` for a one-shot on its cron_restart schedule. */
export function timerUnit(app: AppSpec, unit: string, calendar: string, input: ExportInput): string {
  const tz = app.cron_restart_tz !== null ? ` (cron_restart_tz ${app.cron_restart_tz})` : '';
  return [
    hashComment(input, 'systemd').trimEnd(),
    '[Unit]',
    `Description=${app.name.replaceAll('%', '%%')} on its cron_restart schedule (tend export)`,
    // Its fields as croner reads them, one space apart: any whitespace separates them there, and a line
    // break would end this comment (tenth audit: `'0 4 * *\n*'` left a line systemd could not read).
    `# cron_restart: ${(app.cron_restart ?? '').trim().split(/\s+/).join(' ')}${tz}`,
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
