// A directory given as the script (`tend start ./api`): what to run in it, as its package.json says. `main`
// first (Node's own rule: a file, the file plus .js, or the folder's index.js), then `scripts.start` (a
// `node <file> …` command runs that file directly, anything else runs as `npm start`), then index.js.
import fs from 'node:fs';
import path from 'node:path';
import { TendError } from '../protocol/errors.js';
import { splitArgs } from './split-args.js';

export interface DirectoryScript {
  /** Absolute path of the file to run, or a command on PATH (`npm`). */
  readonly script: string;
  readonly args: readonly string[];
  /** The package's name as an app name (a scope dropped: `@acme/api` → `api`), or null. */
  readonly name: string | null;
  /** Where the script came from, for the user: `package.json "main"`, … */
  readonly from: string;
}

const isFile = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isFile() === true;

interface PackageJson {
  name?: unknown;
  main?: unknown;
  scripts?: { start?: unknown };
}

function readPackage(dir: string): PackageJson | null {
  const file = path.join(dir, 'package.json');
  if (!isFile(file)) return null;
  try {
    const pkg: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return pkg !== null && typeof pkg === 'object' ? (pkg as PackageJson) : null;
  } catch (err) {
    throw new TendError('TEND_ERR_CONFIG_INVALID', {
      where: file,
      detail: `not valid JSON (${(err as Error).message}): fix it, or give the script itself`,
    });
  }
}

/** Node's resolution of a `main` entry: the file, with .js, or its folder's index.js. */
function mainFile(dir: string, main: string): string | null {
  const p = path.resolve(dir, main);
  return [p, `${p}.js`, path.join(p, 'index.js')].find(isFile) ?? null;
}

function appName(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  const base = name.replace(/^@[^/]+\//, '');
  return /^[^/\s]+$/.test(base) && !/^(\d+|all)$/.test(base) ? base : null;
}

export function directoryScript(dir: string): DirectoryScript {
  const pkg = readPackage(dir);
  const name = appName(pkg?.name);
  if (typeof pkg?.main === 'string') {
    const main = mainFile(dir, pkg.main);
    if (main) return { script: main, args: [], name, from: 'package.json "main"' };
  }
  const start = pkg?.scripts?.start;
  if (typeof start === 'string') {
    const words = splitArgs(start);
    // `node server.js --port 3000`: run the file itself (no npm and shell between tend and the app).
    if (
      words &&
      words[0] === 'node' &&
      words[1] &&
      !words[1].startsWith('-') &&
      isFile(path.resolve(dir, words[1]))
    )
      return {
        script: path.resolve(dir, words[1]),
        args: words.slice(2),
        name,
        from: 'package.json "scripts.start"',
      };
    return { script: 'npm', args: ['start'], name, from: 'package.json "scripts.start" (npm start)' };
  }
  const index = path.join(dir, 'index.js');
  if (isFile(index)) return { script: index, args: [], name, from: 'index.js' };
  throw new TendError('TEND_ERR_SCRIPT_NOT_FOUND', {
    script: `${dir} is a directory without a package.json "main" or "scripts.start", nor an index.js: give the file to run`,
  });
}
