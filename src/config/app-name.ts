// App names are how users target processes (`tend stop api`), next to numeric ids and the word `all`:
// a name that looks like an id or like `all`, or that cannot be typed as one shell word, would be ambiguous.

import path from 'node:path';

/** What a name may not hold: `nameProblem` refuses it in a name written, `nameFromScript` replaces it. */
const NOT_IN_NAME = /[/\s]/;

/** What is wrong with `name` as an expectation ("expected …"), or null when it is a valid name. */
export function nameProblem(name: string): string | null {
  if (name === '') return 'expected a non-empty name';
  if (/^\d+$/.test(name)) return 'expected a name that is not all digits (numbers are process ids)';
  if (name === 'all') return 'expected a name other than "all" (it targets every process)';
  if (NOT_IN_NAME.test(name)) return 'expected a name without "/" or whitespace';
  return null;
}

/**
 * PM2's default: the script's file name without its extension (`api.js` → `api`), made a name: what a name
 * may not hold becomes "-" (`run me.js` → `run-me`). The user wrote no name, so none is refused for its
 * characters (eighth audit: `tend-runtime "run me.js"` was a config error asking for a name). One that
 * cannot be made a name this way (`123.js`, `all.sh`) is still refused, by readApp.
 */
export function nameFromScript(script: string): string {
  return asName(path.basename(script, path.extname(script)));
}

/** A name made of a file's or folder's name, which the user did not write: see nameFromScript. */
export function asName(text: string): string {
  return text.trim().replace(new RegExp(`${NOT_IN_NAME.source}+`, 'g'), '-');
}
