// Bundles the three entry points so the CLI loads one small file (start-up time is a product feature:
// `tend list` must cost little more than a bare `node -e 0`). Declarations come from tsc separately.

import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts', daemon: 'src/daemon/main.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies (commander, cli-table3) call require(); give ESM chunks one.
  banner: {
    js: "import { createRequire as __tendRequire } from 'node:module'; const require = __tendRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
