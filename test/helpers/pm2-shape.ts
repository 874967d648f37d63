// Checks PM2-shaped list entries against test/fixtures/pm2/jlist-shape.json (key path → JSON type; a
// trailing ? marks a key that may be absent). Returns the problems, so a failure lists them all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './daemon.js';

export const JLIST_SHAPE = JSON.parse(
  readFileSync(join(FIXTURES, 'pm2', 'jlist-shape.json'), 'utf8'),
) as Record<string, string>;

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function shapeProblems(
  entries: readonly unknown[],
  shape: Record<string, string> = JLIST_SHAPE,
): string[] {
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    for (const [path, want] of Object.entries(shape)) {
      if (path.startsWith('$')) continue;
      let v: unknown = entry;
      for (const key of path.split('.'))
        v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
      const optional = want.endsWith('?');
      const type = want.replace(/\?$/, '');
      if (v === undefined) {
        if (!optional) problems.push(`[${i}].${path}: missing (expected ${type})`);
      } else if (typeOf(v) !== type) problems.push(`[${i}].${path}: expected ${type}, got ${typeOf(v)}`);
    }
  });
  return problems;
}
