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
