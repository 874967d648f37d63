// Durations as PM2 users write them: a number of milliseconds, or a string such as '500ms', '10s', '1m',
// '2h' or a bare '1500'. Plain code (no zod) so the CLI can use it for flags like --restart-delay.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)?$/i;

/** Milliseconds (rounded to an integer) for a duration string, or null when it is not one. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const unit = (match[2] ?? 'ms').toLowerCase();
  return Math.round(Number(match[1]) * (UNIT_MS[unit] ?? 1));
}
