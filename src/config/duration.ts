// THE duration grammar, for ecosystem files, CLI flags (--kill-timeout 2d) and the JSON Schema alike: a
// number of milliseconds, or a string such as '500ms', '10s', '1.5m', '2h', '1d' or a bare '1500'. Plain
// code (no zod) so the CLI can use it. The pattern is written without regex flags (units spelled in both
// cases) because a JSON Schema `pattern` cannot carry flags, and the editor must accept what tend accepts.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration string; its source is the JSON Schema's `pattern` (config/json-schema.ts). */
export const DURATION_PATTERN = '^\\s*(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([mM][sS]|[sSmMhHdD])?\\s*$';
const DURATION = new RegExp(DURATION_PATTERN);

/** Milliseconds (rounded to an integer) for a duration string, or null when it is not one. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match) return null;
  const unit = (match[2] ?? 'ms').toLowerCase();
  return Math.round(Number(match[1]) * (UNIT_MS[unit] ?? 1));
}

/**
 * Milliseconds for a field named in seconds (`watchdog_sec`, a probe's `period_seconds`, systemd's and
 * Kubernetes' names): a bare number, or a numeric string, is seconds (fractions allowed); a string with a
 * unit is a duration (`'500ms'`, `'30s'`). Null when it is neither.
 */
export function parseSeconds(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1000) : null;
  if (typeof value !== 'string') return null;
  if (/^\s*-?(\d+(\.\d+)?|\.\d+)\s*$/.test(value)) return Math.round(Number(value) * 1000);
  return /[a-zA-Z]\s*$/.test(value) ? parseDuration(value) : null;
}
