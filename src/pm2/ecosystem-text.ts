// The ecosystem file `tend import pm2` prints or writes: JavaScript (default: room for comments), JSON or
// YAML by the file's extension. The JavaScript form says in comments where it came from and what was left
// behind; JSON has no comments (stderr has the same lines).
import type { ImportResult } from './dump-to-apps.js';

export type EcosystemFormat = 'js' | 'json' | 'yaml';

export function formatOf(file: string | null): EcosystemFormat {
  if (file && /\.json$/i.test(file)) return 'json';
  if (file && /\.ya?ml$/i.test(file)) return 'yaml';
  return 'js';
}

export async function ecosystemText(
  r: ImportResult,
  source: string,
  format: EcosystemFormat,
): Promise<string> {
  const doc = { apps: r.apps };
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  const head = [
    `Imported from PM2's ${source} by tend import pm2. Check it, then: tend start <this file>; tend save.`,
    ...(r.stopped.length > 0 ? [`Stopped in PM2 (start them with --only): ${r.stopped.join(', ')}`] : []),
    ...r.notes,
    ...(r.ignored.length > 0
      ? ['PM2 settings without a meaning in tend (not imported):', ...r.ignored.map((l) => `  ${l}`)]
      : []),
  ];
  if (format === 'yaml') {
    // Loaded only here: the rest of the CLI never needs it.
    const mod = await import('yaml');
    // Bundled (dist/), the CommonJS build of yaml arrives as a default export; from source, as named exports.
    const stringify: typeof mod.stringify = mod.stringify ?? mod.default.stringify;
    return `${head.map((l) => `# ${l}`).join('\n')}\n${stringify(doc)}`;
  }
  return `${head.map((l) => `// ${l}`).join('\n')}\nmodule.exports = ${JSON.stringify(doc, null, 2)};\n`;
}
