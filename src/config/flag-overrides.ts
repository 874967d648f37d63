// Field flags given with an ecosystem file (`tend start eco.config.js -i 2`, `tend-runtime eco.config.js -i 2`):
// each sets its field on every app of the file. The name and the cwd are each app's own: they are left out,
// for the caller to say so.
import { ALIASES } from './registry/index.js';

export interface FileOverrides {
  /** What to spread over each app of the file. */
  overrides: Record<string, unknown>;
  /** The flags left out (`name`, `cwd`), in that order. */
  ignored: ('name' | 'cwd')[];
}

export function fileOverrides(fields: Readonly<Record<string, unknown>>): FileOverrides {
  const { name, cwd, ...given } = fields;
  const overrides: Record<string, unknown> = { ...given };
  // A flag replaces the field under every name the file may use: null means "not set", so the file's
  // `out: …` does not compete with `-o` (which would be a false "ignored: given too" note).
  for (const field of Object.keys(given)) for (const alias of ALIASES[field] ?? []) overrides[alias] = null;
  const ignored: ('name' | 'cwd')[] = [];
  if (name !== undefined) ignored.push('name');
  if (cwd !== undefined) ignored.push('cwd');
  return { overrides, ignored };
}
