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
// The cluster primary runs on each app's own Node binary, which may be older than the daemon's: one
// self-contained file (no shared chunks), for the oldest Node with cluster.setupPrimary.
await build({
  entryPoints: { 'cluster-primary': 'src/cluster/primary.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node16',
  sourcemap: 'linked',
  logLevel: 'warning',
});
// Preloaded into every cluster worker with --require, before the app's own loaders: CommonJS.
await build({
  entryPoints: ['src/cluster/worker-preload.ts'],
  outfile: 'dist/cluster-worker.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node16',
  logLevel: 'warning',
});
