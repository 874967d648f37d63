// Objects nested in a field (a probe, its handler, a depends_on entry) are read strictly: each key under its
// canonical name or one alias (Kubernetes' camelCase), each value checked by its own zod type, and a key
// nobody knows is an error naming it, with a "did you mean". An app's unknown top-level field is only a note
// (PM2 files carry many), but a typo inside a probe is a probe that never runs as meant.
//
// Problems are pushed onto the zod parse payload with their path relative to the object, so zod prefixes
// the field's own path and issues.ts prints `apps[0] (api).readiness_probe.http_get.port: …, got …`.
import type * as z from '../protocol/zod.js';
import { closest } from './suggest.js';

export interface KeyDef {
  readonly type: z.ZodMiniType;
  /** Other spellings, e.g. `httpGet` for `http_get`. */
  readonly aliases?: readonly string[];
  /** Reported (as "expected …, got nothing") when the key is missing. */
  readonly required?: string;
}

export interface StrictRead {
  /** The checked values, by canonical key; a key with a problem is absent. */
  readonly values: Record<string, unknown>;
  /** canonical key → the key as written (for paths in later messages). */
  readonly written: ReadonlyMap<string, string>;
  /** Whether any problem was found. */
  readonly ok: boolean;
}

type Issue = z.core.$ZodRawIssue;

/** Records a problem at `path` (relative to the value being parsed). */
export function pushIssue(
  ctx: z.core.ParsePayload,
  path: readonly PropertyKey[],
  message: string,
  input: unknown,
): void {
  ctx.issues.push({ code: 'custom', message, input, path: [...path] } as Issue);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads `value` (already known to be an object) against `keys`; problems go to `ctx` under `at` + key.
 * `what` names the object in the unknown-key message (`a probe`, `http_get`).
 */
export function readStrict(
  value: Record<string, unknown>,
  keys: Readonly<Record<string, KeyDef>>,
  ctx: z.core.ParsePayload,
  what: string,
  at: readonly PropertyKey[] = [],
): StrictRead {
  const values: Record<string, unknown> = {};
  const written = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const [key, def] of Object.entries(keys)) {
    byName.set(key, key);
    for (const alias of def.aliases ?? []) byName.set(alias, key);
  }
  const before = ctx.issues.length;
  for (const [name, raw] of Object.entries(value)) {
    const key = byName.get(name);
    if (key === undefined) {
      const hint = closest(name, byName.keys());
      const known = Object.keys(keys).join(', ');
      const message = hint
        ? `unknown key of ${what} (did you mean "${hint}"?)`
        : `unknown key of ${what} (known: ${known})`;
      pushIssue(ctx, [...at, name], message, raw);
      continue;
    }
    // null counts as not given, as for a top-level field.
    if (raw === null || raw === undefined) continue;
    const other = written.get(key);
    if (other !== undefined) {
      pushIssue(ctx, [...at, name], `expected "${other}" or "${name}", not both`, raw);
      continue;
    }
    written.set(key, name);
    const parsed = (keys[key] as KeyDef).type.safeParse(raw, { reportInput: true });
    if (parsed.success) values[key] = parsed.data;
    else
      for (const issue of parsed.error.issues)
        pushIssue(ctx, [...at, name, ...issue.path], issue.message, 'input' in issue ? issue.input : raw);
  }
  for (const [key, def] of Object.entries(keys))
    if (def.required !== undefined && !written.has(key))
      pushIssue(ctx, [...at, key], def.required, undefined);
  return { values, written, ok: ctx.issues.length === before };
}
