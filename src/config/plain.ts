// Raw apps travel to the daemon as JSON. A JavaScript ecosystem file can hold things JSON cannot carry
// (functions, `undefined`, RegExp, Date, class instances, cycles): turn them into plain data here, once,
// instead of letting JSON.stringify silently mangle them or throw on a cycle.

/** A JSON-safe copy of `value`: functions, symbols and `undefined` are dropped (from arrays too). */
export function toPlain(value: unknown): unknown {
  return copy(value, new Set());
}

function copy(value: unknown, seen: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined; // function, symbol, undefined
  }
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof RegExp) return value.source;
  // A cycle cannot be sent; cut it where it closes rather than fail the whole file.
  if (seen.has(value)) return undefined;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item) => copy(item, seen)).filter((item) => item !== undefined);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const plain = copy(item, seen);
      if (plain !== undefined) out[key] = plain;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
