// The grammar of `log_date_format` (moment.js tokens, as PM2 users write them): its tokens, the default and
// the check of a written format. Here, in config/, because validating a field is config's job; logs/
// (date-format.ts) compiles the formats with the same tokenizer, so the dependency goes one way.

/** ISO-8601, local time, milliseconds and offset: 2024-05-01T14:03:07.042+02:00. */
export const DEFAULT_DATE_FORMAT = 'YYYY-MM-DDTHH:mm:ss.SSSZ';

/** Longest tokens first, so `YYYY` is not read as two `YY`. `[...]` is literal text. */
const TOKEN = /\[([^\]]*)]|YYYY|YY|MM|M|DD|D|HH|H|hh|h|mm|m|ss|s|SSS|A|a|ZZ|Z|X|x/g;

export type DatePart = { literal: string } | { token: string };

export function tokenizeDateFormat(format: string): DatePart[] {
  const parts: DatePart[] = [];
  let last = 0;
  for (const m of format.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    if (at > last) parts.push({ literal: format.slice(last, at) });
    parts.push(m[1] !== undefined ? { literal: m[1] } : { token: m[0] });
    last = at + m[0].length;
  }
  if (last < format.length) parts.push({ literal: format.slice(last) });
  return parts;
}

/** Why a format cannot be used, or null. A format without any token is surely a mistake. */
export function dateFormatProblem(format: string): string | null {
  if (format.length === 0) return 'expected a date format such as "YYYY-MM-DD HH:mm:ss Z"';
  return tokenizeDateFormat(format).some((p) => 'token' in p)
    ? null
    : 'expected a date format with at least one token (YYYY, MM, DD, HH, mm, ss, SSS, Z…)';
}
