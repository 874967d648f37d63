// The dashboard's files (issue 14), served by the HTTP API at `/`: what scripts/build.mjs wrote to
// dist/web/ (index.html, app-<hash>.js, style-<hash>.css, favicon.svg). Read once, on the first request, and
// kept (about 40 kB): nothing of this runs unless the API is on. Only the names in that folder are served;
// any other path (`..`, nested paths, dotfiles) is a 404.
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  contentType: string;
  body: Buffer;
  /** Content-hashed name: may be cached for a year. */
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
/** esbuild's `[name]-[hash]`: eight base-32 characters. */
const HASHED = /-[A-Z0-9]{8}\.(js|css)$/;

let files: Map<string, Asset> | null = null;

/**
 * dist/web beside the running bundle (dist/daemon.cjs, or a chunk under dist/), or the repository's dist/web
 * when this module runs from src/ (tests under tsx).
 */
function webDir(): string | null {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const rel of ['web', '../web', '../../dist/web']) {
    const dir = join(here, rel);
    try {
      if (readdirSync(dir).includes('index.html')) return dir;
    } catch {
      // not there
    }
  }
  return null;
}

function load(): Map<string, Asset> {
  const map = new Map<string, Asset>();
  const dir = webDir();
  if (!dir) return map;
  for (const name of readdirSync(dir)) {
    const contentType = TYPES[extname(name)];
    if (!contentType || name.startsWith('.')) continue;
    map.set(`/${name}`, { contentType, body: readFileSync(join(dir, name)), immutable: HASHED.test(name) });
  }
  const index = map.get('/index.html');
  if (index) map.set('/', index);
  return map;
}

/** The file for a URL path (`/`, `/app-<hash>.js`, …), or undefined for a 404. */
export function loadAsset(urlPath: string): Asset | undefined {
  files ??= load();
  return files.get(urlPath);
}
