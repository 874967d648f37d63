// The one zod every schema is built from (`import * as z from './zod.js'`): `zod/mini`, the functional,
// tree-shakable build. Classic `zod` cost the daemon ~14 MB of resident memory for the same schemas.
// Re-exported with `export *`, never as a namespace object: a namespace value would pull all of zod (every
// locale, JSON Schema, the compiler) into the bundle.
//
// Unlike classic zod, mini installs no defaults of its own. Without English messages every issue without a
// message of ours would read "Invalid input" (protocol errors show zod's wording), so install the same
// defaults classic zod does, and, as it does, only where none was chosen already.
import { en } from 'zod/locales';
import * as z from 'zod/mini';

if (!z.config().localeError) z.config(en());
if (!z.config().memoizer) z.config({ memoizer: z.memoizer() });

export * from 'zod/mini';

/**
 * zod 4.6 keeps the first schema of each kind a process builds reachable for good (a member installed on
 * the kind's prototype on first use holds on to it: two builds of one object schema left 201 of 402 schemas
 * alive, 6 when tiny schemas of the same kinds came first). tend builds schemas per validation and drops
 * them (protocol/define.ts, config/schema.ts), so the first of each kind would be a whole app schema held
 * for the daemon's life (159 schemas, measured): the daemon builds a tiny schema of each kind it uses at
 * start-up, and parses with it, before anything else is validated.
 */
export function primeSchemaKinds(): void {
  const s = z.string().check(
    z.minLength(0),
    z.maxLength(9),
    z.refine(() => true),
    z.superRefine(() => {}),
  );
  const n = z.number().check(z.int(), z.gte(0), z.lte(9));
  const obj = z.strictObject({ a: z.optional(s), b: z._default(z.nullable(n), null) });
  const loose = z.object({ c: z.array(z.boolean()), d: z.record(z.string(), z.unknown()) });
  const one = z.union([z.literal('x'), z.null(), z.enum(['y'])]);
  const piped = z.pipe(
    z.transform((v: unknown) => v),
    z.string(),
  );
  for (const [schema, good, bad] of [
    [obj, { a: 'x' }, { a: 1, e: 0 }],
    [loose, { c: [true], d: {} }, { c: 0 }],
    [one, 'x', 'z'],
    [piped, 'x', 0],
    [n, 1, 1.5],
  ] as const) {
    schema.safeParse(good);
    schema.safeParse(bad);
  }
}
