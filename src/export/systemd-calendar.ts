// A cron_restart expression as systemd's OnCalendar= (systemd.time(7)), exactly or not at all. tend reads
// cron with croner: five fields, or six with seconds first; names (MON, JAN); `*`, lists, ranges, steps; the
// @daily-style macros. OnCalendar= says the same things, with one difference a translation cannot hide:
// cron fires when the day of the month OR the day of the week matches (both restricted), systemd when both
// do. That case, and croner's L, W, # and ? forms, which OnCalendar= has no word for, get no translation:
// the caller keeps the schedule in tend-runtime and says so. Nothing is guessed. One more difference is not
// in the expression but in its zone: on a daylight saving changeover day systemd skips the hour that does not
// exist and runs the repeated hour once, croner runs late and twice (dst.ts): the timer is written and the
// caller warns.

import type { TimesOfDay } from './dst.js';

/** A time zone after the time in OnCalendar= (`… Europe/Paris`): systemd ≥ 235. */
export const CALENDAR_TZ_SINCE = 235;

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const SYSTEMD_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** The first name's number (JAN is 1, SUN 0). */
  readonly namesFrom?: number;
}

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY: FieldSpec = { name: 'day of month', min: 1, max: 31 };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 };
// 7 is Sunday too (cron's both spellings).
const WEEKDAY: FieldSpec = { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 };

class Untranslatable extends Error {}

function fieldValue(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const n = named >= 0 ? named + (spec.namesFrom ?? 0) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < spec.min || n > spec.max)
    throw new Untranslatable(`"${text}" is not a ${spec.name}`);
  return n;
}

/** The field without its month or day names (whose letters are not croner's L and W). */
function withoutNames(field: string, spec: FieldSpec): string {
  return field.replace(/[A-Z]{3}/gi, (m) => (spec.names?.includes(m.toUpperCase()) ? '' : m));
}

/** The values a cron field matches (sorted), or throws Untranslatable. */
function expand(field: string, spec: FieldSpec): number[] {
  if (/[LW#?]/i.test(withoutNames(field, spec)))
    throw new Untranslatable(
      `croner's L, W, # and ? forms (${spec.name} "${field}") have no OnCalendar= equivalent`,
    );
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Untranslatable(`"${part}" is not a ${spec.name}`);
    const [, range = '', stepText] = m;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new Untranslatable(`step "${stepText}" in the ${spec.name}`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [spec.min, spec.max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      // SUN ending a range is 7 to croner (its `-sun` → `-7`): MON-SUN is Monday to Sunday, FRI-SUN Friday
      // to Sunday (eighth audit: read as 1-0, "runs backwards", and the timer was not written).
      [from, to] = [fieldValue(a, spec), spec === WEEKDAY && /^sun$/i.test(b) ? 7 : fieldValue(b, spec)];
      if (to < from) throw new Untranslatable(`range "${range}" in the ${spec.name} runs backwards`);
    } else {
      from = fieldValue(range, spec);
      // `5/15`: from 5, every 15, to the end (croner's reading).
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  if (spec === WEEKDAY && out.delete(7)) out.add(0);
  return [...out].sort((a, b) => a - b);
}

/** Values as OnCalendar= writes them: `*`, `start/step`, ranges `a..b` and lists. */
function calendarValues(values: readonly number[], spec: FieldSpec, text: (n: number) => string): string {
  const max = spec === WEEKDAY ? 6 : spec.max;
  if (values.length === max - spec.min + 1) return '*';
  const [first = 0, second = 0] = values;
  const step = second - first;
  // An arithmetic run to the end of the field: `start/step`, as systemd normalises it (not for weekdays).
  if (
    spec !== WEEKDAY &&
    values.length >= 3 &&
    step > 1 &&
    values.every((v, i) => v === first + i * step) &&
    (values.at(-1) as number) + step > max
  )
    return `${text(first)}/${step}`;
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === (values[j] as number) + 1) j++;
    const [a, b] = [values[i] as number, values[j] as number];
    parts.push(j - i >= 2 ? `${text(a)}..${text(b)}` : j > i ? `${text(a)},${text(b)}` : text(a));
    i = j + 1;
  }
  return parts.join(',');
}

const two = (n: number) => String(n).padStart(2, '0');

/** The six fields (seconds first) of an expression or a macro, or why it has none. */
function sixFields(expr: string): { fields: string[] } | { problem: string } {
  let text = expr.trim();
  if (text.startsWith('@')) {
    const macro = MACROS[text.toLowerCase()];
    if (!macro) return { problem: `${text} is not a macro OnCalendar= can say` };
    text = macro;
  }
  const fields = text.split(/\s+/);
  if (fields.length === 5) fields.unshift('0');
  if (fields.length !== 6) return { problem: `expected 5 or 6 fields, got ${fields.length}` };
  return { fields };
}

/** The hours, minutes and seconds an expression runs at (dst.ts), or null when it is not one onCalendar says. */
export function timesOfDay(expr: string): TimesOfDay | null {
  const six = sixFields(expr);
  if ('problem' in six) return null;
  const [sec = '', min = '', hour = ''] = six.fields;
  try {
    return { hours: expand(hour, HOUR), minutes: expand(min, MINUTE), seconds: expand(sec, SECOND) };
  } catch (err) {
    if (err instanceof Untranslatable) return null;
    throw err;
  }
}

/**
 * The OnCalendar= value for a cron_restart expression (and its cron_restart_tz), or why there is none.
 * `version`: the target's systemd (a time zone needs 235), null when unknown (assumed recent).
 */
export function onCalendar(
  expr: string,
  tz: string | null,
  version: number | null,
): { calendar: string } | { problem: string } {
  if (tz !== null && version !== null && version < CALENDAR_TZ_SINCE)
    return {
      problem: `a time zone in OnCalendar= needs systemd ≥ ${CALENDAR_TZ_SINCE} (systemd ${version})`,
    };
  const fields = sixFields(expr);
  if ('problem' in fields) return fields;
  const [sec = '', min = '', hour = '', dom = '', month = '', dow = ''] = fields.fields;
  // Croner's own forms first (`?` is a restriction of neither kind: it has no OnCalendar= word either).
  for (const [field, spec] of [
    [dom, DAY],
    [month, MONTH],
    [dow, WEEKDAY],
  ] as const)
    if (/[LW#?]/i.test(withoutNames(field, spec)))
      return {
        problem: `croner's L, W, # and ? forms (${spec.name} "${field}") have no OnCalendar= equivalent`,
      };
  // Cron: either day field matches when both are restricted; OnCalendar=: both must.
  if (dom !== '*' && dow !== '*')
    return {
      problem: `day of month "${dom}" and day of week "${dow}" are both restricted: cron runs when either matches, systemd only when both do`,
    };
  try {
    const days = expand(dow, WEEKDAY);
    const weekday = calendarValues(days, WEEKDAY, (n) => SYSTEMD_DAYS[n] as string);
    const date = `*-${calendarValues(expand(month, MONTH), MONTH, two)}-${calendarValues(expand(dom, DAY), DAY, two)}`;
    const time = [
      calendarValues(expand(hour, HOUR), HOUR, two),
      calendarValues(expand(min, MINUTE), MINUTE, two),
      calendarValues(expand(sec, SECOND), SECOND, two),
    ].join(':');
    return { calendar: `${weekday === '*' ? '' : `${weekday} `}${date} ${time}${tz ? ` ${tz}` : ''}` };
  } catch (err) {
    if (err instanceof Untranslatable) return { problem: err.message };
    throw err;
  }
}
