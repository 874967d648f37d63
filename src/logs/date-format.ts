// Timestamps of log lines: `log_date_format` compiled once into a formatter (and, for `tend logs --since`,
// a parser of the same format). The tokens are moment.js's, which PM2 users already write
// ('YYYY-MM-DD HH:mm:ss Z'); the default is ISO-8601 with milliseconds and the local offset. Pure: the time
// is an argument, the time zone is the process's (TZ).

import { DEFAULT_DATE_FORMAT, tokenizeDateFormat as tokenize } from '../config/date-tokens.js';
import { pad2, pad3 } from '../runtime/utc-time.js';

// The grammar (tokens, default, the check of a written format) is config's: it validates the field.
export { DEFAULT_DATE_FORMAT, dateFormatProblem } from '../config/date-tokens.js';

function offset(d: Date, colon: boolean): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}${colon ? ':' : ''}${pad2(abs % 60)}`;
}

const FORMAT: Record<string, (d: Date) => string> = {
  YYYY: (d) => String(d.getFullYear()).padStart(4, '0'),
  YY: (d) => pad2(d.getFullYear() % 100),
  MM: (d) => pad2(d.getMonth() + 1),
  M: (d) => String(d.getMonth() + 1),
  DD: (d) => pad2(d.getDate()),
  D: (d) => String(d.getDate()),
  HH: (d) => pad2(d.getHours()),
  H: (d) => String(d.getHours()),
  hh: (d) => pad2(d.getHours() % 12 || 12),
  h: (d) => String(d.getHours() % 12 || 12),
  mm: (d) => pad2(d.getMinutes()),
  m: (d) => String(d.getMinutes()),
  ss: (d) => pad2(d.getSeconds()),
  s: (d) => String(d.getSeconds()),
  SSS: (d) => pad3(d.getMilliseconds()),
  A: (d) => (d.getHours() < 12 ? 'AM' : 'PM'),
  a: (d) => (d.getHours() < 12 ? 'am' : 'pm'),
  Z: (d) => offset(d, true),
  ZZ: (d) => offset(d, false),
  X: (d) => String(Math.floor(d.getTime() / 1000)),
  x: (d) => String(d.getTime()),
};

export type DateFormatter = (epochMs: number) => string;

/**
 * Compiles a format into a function of epoch milliseconds. The last result is cached: the lines of one
 * chunk, and chunks within the same millisecond, share one timestamp.
 */
export function compileDateFormat(format: string = DEFAULT_DATE_FORMAT): DateFormatter {
  const parts = tokenize(format).map((p) =>
    'literal' in p ? () => p.literal : (FORMAT[p.token] as (d: Date) => string),
  );
  let lastMs = Number.NaN;
  let lastText = '';
  return (ms) => {
    if (ms === lastMs) return lastText;
    const d = new Date(ms);
    let text = '';
    for (const part of parts) text += part(d);
    lastMs = ms;
    lastText = text;
    return text;
  };
}

const PARSE: Record<string, string> = {
  YYYY: '(\\d{4})',
  YY: '(\\d{2})',
  MM: '(\\d{2})',
  M: '(\\d{1,2})',
  DD: '(\\d{2})',
  D: '(\\d{1,2})',
  HH: '(\\d{2})',
  H: '(\\d{1,2})',
  hh: '(\\d{2})',
  h: '(\\d{1,2})',
  mm: '(\\d{2})',
  m: '(\\d{1,2})',
  ss: '(\\d{2})',
  s: '(\\d{1,2})',
  SSS: '(\\d{3})',
  A: '(AM|PM)',
  a: '(am|pm)',
  Z: '([+-]\\d{2}:\\d{2}|Z)',
  ZZ: '([+-]\\d{4}|Z)',
  X: '(\\d+)',
  x: '(\\d+)',
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Epoch ms of a timestamp at the start of `text`, and its length; null when `text` does not start with one. */
export type DateParser = (text: string) => { at: number; length: number } | null;

/**
 * The inverse of compileDateFormat, for timestamps written by tend itself. Fields the format lacks take
 * today's values (a format without a date) or zero; without an offset token the time is local.
 */
export function compileDateParser(format: string = DEFAULT_DATE_FORMAT, now = () => Date.now()): DateParser {
  const tokens: string[] = [];
  let source = '^';
  for (const p of tokenize(format)) {
    if ('literal' in p) source += escapeRegExp(p.literal);
    else {
      source += PARSE[p.token];
      tokens.push(p.token);
    }
  }
  const re = new RegExp(source);
  return (text) => {
    const m = re.exec(text);
    if (!m) return null;
    const today = new Date(now());
    let year = today.getFullYear();
    let month = today.getMonth();
    let day = today.getDate();
    let hour = 0;
    let minute = 0;
    let second = 0;
    let ms = 0;
    let pm: boolean | null = null;
    let offsetMin: number | null = null;
    let epoch: number | null = null;
    tokens.forEach((token, i) => {
      const v = m[i + 1] as string;
      const n = Number(v);
      switch (token) {
        case 'YYYY':
          year = n;
          break;
        case 'YY':
          year = 2000 + n;
          break;
        case 'MM':
        case 'M':
          month = n - 1;
          break;
        case 'DD':
        case 'D':
          day = n;
          break;
        case 'HH':
        case 'H':
        case 'hh':
        case 'h':
          hour = n;
          break;
        case 'mm':
        case 'm':
          minute = n;
          break;
        case 'ss':
        case 's':
          second = n;
          break;
        case 'SSS':
          ms = n;
          break;
        case 'A':
        case 'a':
          pm = v.toLowerCase() === 'pm';
          break;
        case 'Z':
        case 'ZZ': {
          if (v === 'Z') offsetMin = 0;
          else {
            const digits = v.replace(':', '');
            const sign = digits[0] === '-' ? -1 : 1;
            offsetMin = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
          }
          break;
        }
        case 'X':
          epoch = n * 1000;
          break;
        case 'x':
          epoch = n;
          break;
      }
    });
    if (pm !== null) hour = (hour % 12) + (pm ? 12 : 0);
    let at: number;
    if (epoch !== null) at = epoch;
    else if (offsetMin !== null)
      at = Date.UTC(year, month, day, hour, minute, second, ms) - offsetMin * 60_000;
    else at = new Date(year, month, day, hour, minute, second, ms).getTime();
    return Number.isFinite(at) ? { at, length: m[0].length } : null;
  };
}
