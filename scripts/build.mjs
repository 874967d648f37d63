// Bundles the entry points so the CLI loads one small file (start-up time is a product feature: `tend list`
// must cost little more than a bare Node process doing one socket round trip). Declarations come from tsc.
//
// dist/ is never removed first: a `tend` command (or a test) running during a rebuild must find its files.
// Every file is overwritten in place, and files this build did not produce are deleted at the end.

import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build as esbuild } from 'esbuild';

const written = new Set();
async function build(options) {
  const result = await esbuild({ ...options, metafile: true });
  for (const file of Object.keys(result.metafile.outputs)) written.add(resolve(file));
  return result;
}

// The CLI is CommonJS: Node's ES module loader costs a few milliseconds more at start-up than the
// CommonJS one, and `tend list` is mostly start-up. One file; the full command set inside it is only
// evaluated when a command other than the listings runs.
const cliProgram = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  define: { 'import.meta.url': '__tendUrl' },
  banner: { js: "const __tendUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};
// The runtime's bundles (dist/runtime.cjs and the HTTP layer it loads, dist/daemon-http.cjs) are minified:
// whitespace, syntax and local names (the linked source maps give them back). V8 keeps every loaded file's
// source text for the life of the process and scans all of it at load. Measured 2026-12-04: a tend-runtime
// with one app, 52.2 -> 49.9 MiB RSS when the app is ready, 49.8 -> 47.3 MiB ten seconds later. Not
// keepNames: its __name() call per function and class gave those 2.3 MiB back. The daemon's own bundle stays
// readable (its tests read its module layout; minified, it saved 0.2 MiB, within the noise).
const minified = { minify: true };
// Every command but the listings: loaded by dist/cli.cjs on demand (src/cli/main.ts).
await build({ ...cliProgram, entryPoints: ['src/cli/program.ts'], outfile: 'dist/cli-program.cjs' });
await build({ ...cliProgram, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.cjs' });
// tend export (issue 15): the renderers and the config normalisation (zod), loaded only by that command.
await build({ ...cliProgram, entryPoints: ['src/export/index.ts'], outfile: 'dist/export.cjs' });
// tend-runtime (issue 15): the container runtime, foreground, no daemon; its own bundle, run by
// bin/tend-runtime.js. The optional pieces (watch, cron) are required from node_modules as in the daemon.
await build({
  ...cliProgram,
  ...minified,
  entryPoints: ['src/container/main.ts'],
  outfile: 'dist/runtime.cjs',
  // yaml too (rt-core): required from node_modules only for a YAML ecosystem file; bundled, its ~200 kB of
  // source cost every runtime ~1 MiB of RSS.
  external: ['chokidar', 'picomatch', 'croner', 'prom-client', 'yaml'],
});
// tend-runtime's config reading (src/container/load-apps.ts: the file loader, the normalisation, zod and every
// schema): read once at start, before any spawn, then released (src/container/run.ts loadApps): out of
// dist/runtime.cjs, its code, its source and what it leaves behind can be collected once the specs are made.
// Measured 2026-12-05 (one app, each run PID 1 of its own PID namespace): the runtime's live heap after a full
// GC, 5.02 MiB with it in dist/runtime.cjs, 4.23 MiB released (as much as a runtime that never read a file).
// The RSS follows once a collection gives the emptied pages back (src/runtime/compact-heap.ts); until then,
// none: 46.0 MiB right after the first /readyz either way.
await build({
  ...cliProgram,
  ...minified,
  entryPoints: ['src/container/load-apps.ts'],
  outfile: 'dist/runtime-config.cjs',
  external: ['chokidar', 'picomatch', 'croner', 'prom-client', 'yaml'],
});
// tend-runtime's health listener (/livez /readyz /startupz /metrics): the daemon's health listener code without
// the API's routes, tokens, sessions and streams (src/http/health-layer.ts), loaded by the runtime once its apps
// are spawned. dist/daemon-http.cjs in its place cost a runtime 0.9 MiB more RSS (node:crypto and the API).
await build({
  ...cliProgram,
  ...minified,
  entryPoints: ['src/http/health-layer.ts'],
  outfile: 'dist/runtime-http.cjs',
  external: ['prom-client'],
});
// tend-runtime's optional control socket (`tend ls` inside the container): the daemon's socket server, dispatch
// and handlers with the protocol's schemas, loaded only when the socket is on (--control, or TEND_HOME set).
// In dist/runtime.cjs they cost every runtime their source and the schemas built at load.
await build({
  ...cliProgram,
  ...minified,
  entryPoints: ['src/container/control.ts'],
  outfile: 'dist/runtime-control.cjs',
  external: ['chokidar', 'picomatch', 'croner', 'prom-client', 'yaml'],
});
// tend-runtime probe (issue 15, PID-1/probe piece): the health check's own bundle, node:http and the address
// parser only; bin/tend-runtime.js requires it instead of dist/runtime.cjs for `tend-runtime probe`.
await build({
  ...cliProgram,
  ...minified,
  entryPoints: ['src/container/probe-main.ts'],
  outfile: 'dist/runtime-probe.cjs',
});
// tend-pm2 (issue 17): PM2's dialect over tend's daemon, its own CLI bundle, run by bin/tend-pm2.js.
await build({ ...cliProgram, entryPoints: ['src/pm2/cli/main.ts'], outfile: 'dist/pm2-cli.cjs' });
// tend-pm2's full command set (commander, and tend's program for the verbs it shares): loaded by
// dist/pm2-cli.cjs on demand, so `tend-pm2 jlist` stays on the fast path.
await build({ ...cliProgram, entryPoints: ['src/pm2/cli/program.ts'], outfile: 'dist/pm2-program.cjs' });
// The daemon is CommonJS too, self-contained: an ES module entry costs every process ~3 MiB RSS for Node's
// ESM loader (measured: an idle .mjs 42.1 MiB, the same .cjs 39.2 MiB), and the daemon lives for months.
// chokidar and picomatch are required from node_modules when an app is watched (triggers/watch.ts): their
// ~110 kB of source would otherwise sit in every daemon's memory.
await build({
  ...cliProgram,
  entryPoints: ['src/daemon/main.ts'],
  outfile: 'dist/daemon.cjs',
  external: ['chokidar', 'picomatch', 'croner'],
});
// issue 14: the HTTP layer (API, SSE, metrics, dashboard files), required by the daemon only when a listener
// is turned on (src/daemon/http-control.ts): a daemon without one never loads it. prom-client is required
// from node_modules, like chokidar.
await build({
  ...cliProgram,
  ...minified,
  entryPoints: ['src/http/index.ts'],
  outfile: 'dist/daemon-http.cjs',
  external: ['chokidar', 'picomatch', 'croner', 'prom-client'],
});
// The programmatic client (`import { connect } from 'tend'`): ESM, as the package declares.
await build({
  entryPoints: { index: 'src/index.ts' },
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
// `tend monit` (ink and React, ESM-only): its own ES module, loaded with import() by the CJS CLI only for
// that command. One file, so no other bundle shares (or loads) its chunks.
await build({
  entryPoints: { monit: 'src/monit/main.tsx' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  jsx: 'automatic',
  // ink imports React DevTools only when DEV=true; it is not installed: an empty stand-in.
  plugins: [
    {
      name: 'no-react-devtools',
      setup(b) {
        b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'devtools', namespace: 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
          contents: 'export default {};',
          loader: 'js',
        }));
      },
    },
  ],
  define: { 'process.env.NODE_ENV': '"production"' },
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

// The web dashboard (issue 14): browser code, bundled and minified into dist/web/ with content-hashed
// names (served with a year's cache); index.html (never cached) is written with those names in it. Nothing
// here is loaded by the daemon unless the HTTP API is on (src/web/assets.ts reads these files then).
{
  const page = await build({
    entryPoints: { app: 'src/web/page/main.ts', style: 'src/web/page/style.css' },
    outdir: 'dist/web',
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    logLevel: 'warning',
  });
  const out = (entry) =>
    Object.entries(page.metafile.outputs)
      .find(([, o]) => o.entryPoint === entry)?.[0]
      .replace('dist/web/', '');
  const html = readFileSync('src/web/page/index.html', 'utf8')
    .replace('%APP_JS%', out('src/web/page/main.ts'))
    .replace('%STYLE_CSS%', out('src/web/page/style.css'));
  for (const [name, body] of [
    ['index.html', html],
    ['favicon.svg', readFileSync('src/web/page/favicon.svg')],
  ]) {
    writeFileSync(join('dist/web', name), body);
    written.add(resolve('dist/web', name));
  }
}

// Node's programs as pure ASCII. esbuild escapes non-ASCII in strings (charset: ascii) but keeps the comments
// it preserves (JSDoc in objects and classes) as written, and one `≤` or `…` there makes V8 hold the whole
// source as a two-byte string: 0.5 MiB of RSS for the life of every daemon (measured: 47.5 → 47.0 MiB idle).
// Only comments are concerned; each character becomes as many `?` as its UTF-16 length, so the source
// maps' columns stay right.
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;
for (const file of written) {
  if (!/\.(cjs|mjs|js)$/.test(file) || file.includes(`${join('dist', 'web')}`)) continue;
  const text = readFileSync(file, 'utf8');
  if (!NON_ASCII.test(text)) continue;
  const lines = text.split('\n').map((line, i) => {
    if (!NON_ASCII.test(line)) return line;
    if (!/^\s*(\/\/|\/\*|\*)/.test(line))
      throw new Error(`${file}:${i + 1}: non-ASCII outside a comment; keep charset: 'ascii'`);
    return line.replace(NON_ASCII_ALL, (c) => '?'.repeat(c.length));
  });
  writeFileSync(file, lines.join('\n'));
}

// Remove what an earlier build left and this one did not write (old hashed chunks, renamed entries).
function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (relative('dist', path) !== 'types') prune(path);
    } else if (!written.has(resolve(path))) rmSync(path);
  }
}
prune('dist');
