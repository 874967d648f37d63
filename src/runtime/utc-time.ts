// Time as text and a monotonic clock, without what the obvious calls load into a process that lives for weeks.
// - V8's Date.prototype.toISOString and toUTCString read ICU's time-zone data on their first call, although the
//   result is in UTC: ~0.85 MiB of the node binary's pages resident from then on (measured on Node 20, a bare
//   `new Date(0).toISOString()`). The UTC getters read none. node:http's own Date header calls toUTCString (and
//   the local getMilliseconds), so the HTTP listeners write that header themselves (http/listener.ts).
// - `performance.now()` (node:perf_hooks, also behind the global) loads perf_hooks' whole module graph: event
//   loop delay histograms, timerify, the observers (~0.4 MiB). process.hrtime reads the same clock.

export const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
export const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** What `new Date(ms).toISOString()` gives for the years 0 to 9999, from the UTC getters. */
export function isoTime(ms: number = Date.now()): string {
  const d = new Date(ms);
  const date = `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return `${date}T${time}.${pad3(d.getUTCMilliseconds())}Z`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** HTTP's IMF-fixdate (RFC 9110 §5.6.7), what `new Date(ms).toUTCString()` gives for the years 1000 to 9999. */
export function httpDate(ms: number = Date.now()): string {
  const d = new Date(ms);
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time} GMT`;
}

/** Milliseconds from an arbitrary origin, never going back: performance.now()'s clock (CLOCK_MONOTONIC). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
