// The value type of `depends_on`: a list of app names (each meaning `process_started`), or an object
// `{ db: { condition, timeout_seconds, restart, bind, required } }` (compose's long form; `db: null` or
// `db: {}` takes the defaults). docker compose's `service_*` conditions and `process_ready` are folded into
// tend's five. Whether the names exist, cycles and what a condition needs of the dependency are checked
// across the apps (config/dependency-checks.ts).
import * as z from '../protocol/zod.js';
import { type FieldTypes, fieldTypes } from './field-types.js';
import { CONDITION_ALIASES, CONDITIONS } from './health-grammar.js';
import { secondsType } from './probe-field.js';
import type { DependencyCondition, DependencySpec } from './spec.js';
import { isPlainObject, type KeyDef, pushIssue, readStrict } from './strict-object.js';

const expect = (message: string) => ({ error: message });

/** One entry as the schema outputs it: the spec, and where it was written (a list index or the name). */
export interface DependencyIn {
  readonly dep: DependencySpec;
  readonly at: number | string;
}

const quote = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');
const CONDITION = `expected a condition: ${quote(CONDITIONS)} (or ${quote(Object.keys(CONDITION_ALIASES))})`;
const SHAPE = 'expected a list of app names, or an object { name: { condition, timeout_seconds, … } }';
const NAME = 'expected the name of an app';

/** Defaults of the long form: compose's. */
const defaults = (name: string): DependencySpec => ({
  name,
  condition: 'process_started',
  timeout_ms: 0,
  restart: false,
  bind: false,
  required: true,
});

/** The value type of depends_on, built anew on each call (why: config/schema.ts). */
export function dependsOnType(t: FieldTypes = fieldTypes()) {
  const condition = z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' ? (CONDITION_ALIASES[v] ?? v) : v)),
    z.enum(CONDITIONS, expect(CONDITION)),
  );
  const entryKeys: Record<string, KeyDef> = {
    condition: { type: condition },
    timeout_seconds: { type: secondsType(false) },
    restart: { type: t.boolean },
    bind: { type: t.boolean },
    required: { type: t.boolean },
  };

  return z.transform((value: unknown, ctx): DependencyIn[] => {
    const out: DependencyIn[] = [];
    const seen = new Set<string>();
    if (Array.isArray(value)) {
      value.forEach((name, i) => {
        if (typeof name !== 'string' || name.trim() === '') pushIssue(ctx, [i], NAME, name);
        else if (seen.has(name)) pushIssue(ctx, [i], 'expected each app once (it is listed before)', name);
        else {
          seen.add(name);
          out.push({ dep: defaults(name), at: i });
        }
      });
      return out;
    }
    if (!isPlainObject(value)) {
      pushIssue(ctx, [], SHAPE, value);
      return out;
    }
    for (const [name, entry] of Object.entries(value)) {
      if (entry === null || entry === undefined) {
        out.push({ dep: defaults(name), at: name });
        continue;
      }
      if (!isPlainObject(entry)) {
        pushIssue(ctx, [name], 'expected { condition, timeout_seconds, restart, bind, required }', entry);
        continue;
      }
      const v = readStrict(entry, entryKeys, ctx, 'a dependency', [name]).values;
      const d = defaults(name);
      out.push({
        dep: {
          name,
          condition: (v.condition as DependencyCondition) ?? d.condition,
          timeout_ms: (v.timeout_seconds as number) ?? d.timeout_ms,
          restart: (v.restart as boolean) ?? d.restart,
          bind: (v.bind as boolean) ?? d.bind,
          required: (v.required as boolean) ?? d.required,
        },
        at: name,
      });
    }
    return out;
  });
}

/** The dependencies a raw app names and where (before any check): for apps left out of a file (lenient.ts). */
export function writtenDependencies(raw: unknown): { name: string; at: number | string }[] {
  if (Array.isArray(raw))
    return raw.flatMap((name, i) => (typeof name === 'string' ? [{ name, at: i }] : []));
  if (isPlainObject(raw)) return Object.keys(raw).map((name) => ({ name, at: name }));
  return [];
}
