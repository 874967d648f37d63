// THE size grammar, for max_size, max_memory_restart, their CLI flags and the JSON Schema: bytes, or a
// number with K, M or G (powers of 1024) and an optional B: '10M', '512K', '1.5G', '200MB', '4096'. Plain
// code (no zod). No regex flags, for the same reason as config/duration.ts.

const UNIT: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A size string; its source is the JSON Schema's `pattern` (config/json-schema.ts). */
export const SIZE_PATTERN = '^\\s*(\\d+(?:\\.\\d+)?)\\s*([kKmMgG]?)[bB]?\\s*$';
const SIZE = new RegExp(SIZE_PATTERN);

/** Bytes for a size such as 10M, 512K, 1.5G, 4096; null when it is not one. */
export function parseSize(text: string): number | null {
  const m = SIZE.exec(text);
  if (!m) return null;
  return Math.round(Number(m[1]) * (UNIT[(m[2] ?? '').toLowerCase()] ?? 1));
}
