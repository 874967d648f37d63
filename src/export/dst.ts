// Daylight saving time and a schedule systemd runs (OnCalendar=) where tend ran it (croner): they agree on
// every day but a zone's changeover days. On the day the clocks go forward, the local times in the gap do
// not exist: systemd skips a run that falls there, croner runs it late (at the end of the gap). On the day
// they go back, the local times of the overlap happen twice: systemd runs once (the first), croner runs some
// schedules twice (every hour, `*/30 2 * * *`) and others once (`0 2 * * *`). So a schedule
// is exact in a zone with DST when none of its times of day falls in a gap or an overlap of that zone, and
// that is what is checked (the changeovers come from Intl: the zone's offset at each day of the next two
// years; the date fields are not looked at, so a schedule whose days miss every changeover is still warned).
// Nothing is guessed: the timer is still written, with a warning naming the zone and the hours.

/** A range of local times of day (seconds since midnight, end excluded) that a changeover skips or repeats. */
interface Changeover {
  readonly kind: 'gap' | 'overlap';
  readonly from: number;
  readonly to: number;
  /** The first local date it happens, YYYY-MM-DD. */
  readonly date: string;
}

const DAY = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `t`, in ms (local = UTC + offset). */
function offsetAt(zone: string, t: number): number {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, Number(x.value)]));
  const local = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second);
  return local - Math.floor(t / 1000) * 1000;
}

/**
 * The changeovers of `zone` in the two years from `from`, as local time-of-day ranges (one changeover across
 * midnight gives two), or null when the zone is not one Intl knows. Empty: the zone keeps one offset.
 */
export function changeovers(zone: string, from: number): Changeover[] | null {
  try {
    offsetAt(zone, from);
  } catch {
    return null;
  }
  const out: Changeover[] = [];
  const start = Math.floor(from / DAY) * DAY;
  for (let t = start; t < start + 731 * DAY; t += DAY) {
    const [before, after] = [offsetAt(zone, t), offsetAt(zone, t + DAY)];
    if (before === after) continue;
    // The instant of the change, to the second.
    let [lo, hi] = [t, t + DAY];
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (offsetAt(zone, mid) === before) lo = mid;
      else hi = mid;
    }
    // Local times [hi + before, hi + after) do not exist (forward), [hi + after, hi + before) happen twice.
    const kind = after > before ? 'gap' : 'overlap';
    const [a, b] = kind === 'gap' ? [hi + before, hi + after] : [hi + after, hi + before];
    const date = new Date(a).toISOString().slice(0, 10);
    const sec = (x: number) => Math.floor((((x % DAY) + DAY) % DAY) / 1000);
    const [s, e] = [sec(a), sec(b)];
    if (s < e || e === 0) out.push({ kind, from: s, to: e === 0 ? 86_400 : e, date });
    else out.push({ kind, from: s, to: 86_400, date }, { kind, from: 0, to: e, date });
  }
  return out;
}

/** Whether the zone's offset differs across the year (two years from `from`): it observes DST. */
export function observesDst(zone: string, from: number): boolean {
  return (changeovers(zone, from)?.length ?? 0) > 0;
}

const hhmm = (s: number) =>
  `${String(Math.floor(s / 3600) % 24).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}`;

/** The times of day a schedule runs at: hours, minutes and seconds it matches. */
export interface TimesOfDay {
  readonly hours: readonly number[];
  readonly minutes: readonly number[];
  readonly seconds: readonly number[];
}

function matchesIn(times: TimesOfDay, from: number, to: number): boolean {
  const [h, m, s] = [new Set(times.hours), new Set(times.minutes), new Set(times.seconds)];
  for (let t = from; t < to; t++)
    if (h.has(Math.floor(t / 3600)) && m.has(Math.floor(t / 60) % 60) && s.has(t % 60)) return true;
  return false;
}

/**
 * What systemd does differently from tend for a schedule run at `times` in `zone`, or null when they agree
 * (a zone without DST, or no run in a changeover's hours). `from`: the start of the two years looked at.
 */
export function dstDifference(times: TimesOfDay, zone: string, from: number): string | null {
  const all = changeovers(zone, from);
  if (all === null || all.length === 0) return null;
  const hit = all.filter((c) => matchesIn(times, c.from, c.to));
  const say = (kind: Changeover['kind']) => {
    const seen = new Map<string, string>();
    for (const c of hit.filter((x) => x.kind === kind)) {
      const range = `${hhmm(c.from)}–${hhmm(c.to)}`;
      if (!seen.has(range)) seen.set(range, c.date);
    }
    return [...seen].map(([range, date]) => `${range}, e.g. ${date}`).join('; ');
  };
  const gap = say('gap');
  const overlap = say('overlap');
  if (gap === '' && overlap === '') return null;
  const parts = [
    ...(gap
      ? [
          `a run in the local times that do not exist when the clocks go forward (${gap}) is skipped by systemd, where tend runs it late (at the end of that hour)`,
        ]
      : []),
    ...(overlap
      ? [
          `a run in the local times that happen twice when the clocks go back (${overlap}) is run once by systemd (the first time), where tend may run it a second time`,
        ]
      : []),
  ];
  return `${zone} observes daylight saving time: on its changeover days ${parts.join(', and ')}`;
}
