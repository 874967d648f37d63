// Loading a bundle of ours on demand: dist/<name> beside the bundle that asks (the HTTP layers are their own
// bundles, required only when a listener is wanted); from source (tests through tsx), the module itself.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `from` is the caller's import.meta.url; `source` is the module's path relative to the caller. */
export function requireBundle<T>(from: string, bundle: string, source: string): T {
  const require = createRequire(from);
  const bundled = join(dirname(fileURLToPath(from)), bundle);
  return require(existsSync(bundled) ? bundled : source) as T;
}

/**
 * Forgets a bundle requireBundle loaded from dist/ (its entry in require's cache): once nothing else holds
 * its exports, the next full GC can collect its code, its source text and what its module scope keeps.
 * False when it was not loaded from dist/ (from source, as the tests run: a module others share stays).
 */
export function releaseBundle(from: string, bundle: string): boolean {
  const require = createRequire(from);
  const bundled = join(dirname(fileURLToPath(from)), bundle);
  const key = Object.hasOwn(require.cache, bundled) ? bundled : null;
  if (key === null) return false;
  delete require.cache[key];
  return true;
}
