// Ecosystem files (.config.js/.cjs/.mjs, .json, .yaml/.yml) → raw apps for `app.start`. Runs in the CLI,
// so it stays light: no zod (the daemon validates; it is the trust boundary), YAML loaded only when needed.
// Every failure is one TEND_ERR_CONFIG_INVALID with a one-line detail: users see where, not a stack trace.
// PM2's dialect (issue 17), for `tend` and `tend-pm2` alike: a .json file may be JavaScript object syntax
// (relaxed-json.ts), `pm2:` is a synonym of `apps:`, and `deploy.<env>.env` is under each app's `env_<env>`
// (selected with --env <env>, as PM2 does); `start -` reads the file's text from stdin (parseEcosystemText).

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { types } from 'node:util';
import { nestingProblem } from '../protocol/depth.js';
import { TendError } from '../protocol/errors.js';
import { toPlain } from './plain.js';
import { parseRelaxedJson, RelaxedJsonError } from './relaxed-json.js';
import { maskedText } from './shown-value.js';
import { describeSyntaxError } from './syntax-error.js';

export interface EcosystemFile {
  apps: Record<string, unknown>[];
  /** Absolute path of the file. */
  source: string;
  /** The file's folder: relative paths in it are relative to the file, not to the shell. */
  baseDir: string;
}

const SUPPORTED = 'expected a .config.js, .config.cjs, .config.mjs, .json, .yaml or .yml file';

/** True for names `tend start` treats as an ecosystem file rather than a script to run. */
export function isEcosystemFile(file: string): boolean {
  return /\.config\.[cm]?js$/i.test(file) || /\.(json|ya?ml)$/i.test(file);
}

export async function loadEcosystemFile(file: string): Promise<EcosystemFile> {
  const source = path.resolve(file);
  const fail = (detail: string) => new TendError('TEND_ERR_CONFIG_INVALID', { where: source, detail });
  const stat = fs.statSync(source, { throwIfNoEntry: false });
  if (!stat) throw fail('file not found');
  if (!stat.isFile()) throw fail('not a file');
  const extension = path.extname(source).toLowerCase();
  let content: unknown;
  if (extension === '.json') content = parseJson(readText(source, fail), fail);
  else if (extension === '.yaml' || extension === '.yml')
    content = await parseYaml(readText(source, fail), fail);
  else if (['.js', '.cjs', '.mjs'].includes(extension))
    content = await settledBeforeExit(importModule(source, fail), fail);
  else throw fail(`unsupported file type "${extension}" (${SUPPORTED})`);
  notTooDeep(content, fail);
  return { apps: extractApps(content, fail), source, baseDir: path.dirname(source) };
}

export type EcosystemFormat = 'json' | 'yaml';

/**
 * An ecosystem file's text that is not in a file (`tend-pm2 start -` reads it from stdin): JSON, JavaScript
 * object syntax (as a .json file) or YAML. Without a format, text that starts with `{`, `[` or `(` is read as
 * JSON, anything else as YAML. `source` names it in messages (`<stdin>`); relative paths in it resolve
 * against `baseDir` (the caller's working directory). A .config.js is a program, not data: it cannot come
 * this way (PM2 evaluates stdin as an expression too, without `module`).
 */
export async function parseEcosystemText(
  text: string,
  opts: { source: string; baseDir: string; format?: EcosystemFormat | null },
): Promise<EcosystemFile> {
  const fail = (detail: string) => new TendError('TEND_ERR_CONFIG_INVALID', { where: opts.source, detail });
  const clean = text.replace(/^\uFEFF/, '');
  if (clean.trim() === '') throw fail('no text to read (expected an ecosystem file: JSON or YAML)');
  const format =
    opts.format ?? (/^\s*(\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*[[{(]/.test(clean) ? 'json' : 'yaml');
  const content = format === 'json' ? parseJson(clean, fail) : await parseYaml(clean, fail);
  notTooDeep(content, fail);
  return { apps: extractApps(content, fail), source: opts.source, baseDir: path.resolve(opts.baseDir) };
}

/** A value nested deeper than tend walks (protocol/depth.ts): refused, saying where. */
function notTooDeep(content: unknown, fail: Fail): void {
  const problem = nestingProblem(content);
  if (problem !== null) throw fail(problem);
}

type Fail = (detail: string) => TendError;

function readText(file: string, fail: Fail): string {
  try {
    // A BOM is common in files saved by Windows editors and breaks JSON.parse.
    return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw fail(`cannot read the file: ${firstLine(e)}`);
  }
}

function parseJson(text: string, fail: Fail): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: maybe JavaScript object syntax, as PM2 reads a .json file. Its error is the one reported:
    // it knows more syntax, so it stops at the real mistake, not at the first unquoted key.
  }
  try {
    return parseRelaxedJson(text);
  } catch (e) {
    if (e instanceof RelaxedJsonError) {
      const { line, column } = lineColumn(text, e.offset);
      throw fail(`invalid JSON at line ${line}, column ${column}: ${e.message}`);
    }
    throw fail(`invalid JSON: ${firstLine(e)}`);
  }
}

async function parseYaml(text: string, fail: Fail): Promise<unknown> {
  const mod = await import('yaml');
  // Bundled (dist/), the CommonJS build of yaml arrives as a default export; from source, as named exports.
  const parse: typeof mod.parse = mod.parse ?? mod.default.parse;
  try {
    return parse(text);
  } catch (e) {
    // yaml's message is "<problem> at line L, column C:" followed by a code frame: keep the first line.
    throw fail(`invalid YAML: ${firstLine(e).replace(/:$/, '')}`);
  }
}

async function importModule(file: string, fail: Fail): Promise<unknown> {
  // A CommonJS file (what PM2's ecosystem files are) through require: import() would load Node's ES module
  // loader into the process, ~0.5 MiB of RSS and a few ms more for every CLI command and tend-runtime that
  // reads a .config.js (measured 2026-12-04, tend-runtime with one app: 46.5 against 46.0 MiB at ready).
  // An ES module (.mjs, "type": "module", ESM syntax) goes to import() as before, and so does any file that
  // require cannot load: import() then gives the error, as it always did.
  if (path.extname(file).toLowerCase() !== '.mjs') {
    let exported: unknown;
    try {
      exported = createRequire(file)(file);
    } catch (e) {
      // Not run (an ES module, or ESM syntax that cannot be CommonJS): import() below loads or reports it.
      // Anything else (a throw, a missing dependency) happened while the file ran: said now, not run twice.
      const code = (e as { code?: unknown }).code;
      const esm = e instanceof SyntaxError || (typeof code === 'string' && code.startsWith('ERR_REQUIRE_'));
      if (!esm) throw fail(`the file failed to load: ${firstLine(e)}`);
    }
    // Node ≥ 22.12 may require() an ES module (and a loader hook may turn one into CommonJS marked
    // __esModule): read as import()'s namespace is.
    if (exported !== undefined)
      return settled(isNamespace(exported) ? fromNamespace(exported) : exported, fail);
  }
  let namespace: Record<string, unknown>;
  try {
    // Node caches modules by URL: loading the same file twice in one process returns the first version.
    namespace = await import(pathToFileURL(file).href);
  } catch (e) {
    if (e instanceof SyntaxError) throw fail(describeSyntaxError(e, file));
    throw fail(`the file failed to load: ${firstLine(e)}`);
  }
  return settled(fromNamespace(namespace), fail);
}

/** A file may export a promise of its config (`module.exports = loadConfig()`): its value, or why not. */
async function settled(value: unknown, fail: Fail): Promise<unknown> {
  if (!isObject(value) || typeof (value as { then?: unknown }).then !== 'function') return value;
  try {
    return await value;
  } catch (e) {
    throw fail(`the file's exported promise was rejected: ${firstLine(e)}`);
  }
}

/**
 * The file's load, or a coded error if it can never end: a top-level await or an exported promise that
 * never settles leaves Node's event loop empty, and Node would exit 0 without a word (pm2-runtime's "exit 0
 * on a start-up error"). 'beforeExit' comes exactly then (never while a timer, a socket or a child could
 * still settle it), so no timeout guesses how long a slow config may take.
 */
function settledBeforeExit<T>(load: Promise<T>, fail: Fail): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const never = () =>
      reject(
        fail(
          'the file never finished loading: a top-level await or an exported promise that never settles (nothing was left for it to wait on)',
        ),
      );
    // A file that waits on something still alive (a timer it set, a fetch to a host that never answers)
    // keeps the loop busy: a bound then, generous (a config may fetch its secrets), unref'd so that it never
    // holds the process itself.
    const ms = loadTimeoutMs();
    const timer = setTimeout(
      () =>
        reject(
          fail(
            `the file did not finish loading within ${ms / 1000} s (a top-level await or an exported promise still waiting; TEND_CONFIG_LOAD_TIMEOUT_MS sets the bound)`,
          ),
        ),
      ms,
    ).unref();
    // A throw of the file's own after it ran (in a timer, a client's 'error' event) while its exports settle:
    // the file failed to load, said as any other such failure, not Node's stack trace and exit 1 (seventh
    // audit). Only while it loads: after that the process's own handlers apply.
    const threw = (e: unknown) =>
      reject(fail(`the file failed to load: ${firstLine(e)} (thrown while its exports were settling)`));
    process.once('beforeExit', never);
    process.on('uncaughtException', threw);
    load.then(resolve, reject).finally(() => {
      process.off('beforeExit', never);
      process.off('uncaughtException', threw);
      clearTimeout(timer);
    });
  });
}

/** How long a config file may take to load: 60 s, or TEND_CONFIG_LOAD_TIMEOUT_MS. */
function loadTimeoutMs(): number {
  const v = Number(process.env.TEND_CONFIG_LOAD_TIMEOUT_MS);
  return Number.isSafeInteger(v) && v > 0 ? v : 60_000;
}

function isNamespace(v: unknown): v is Record<string, unknown> {
  return types.isModuleNamespaceObject(v) || (isObject(v) && v.__esModule === true);
}

/** CommonJS module.exports arrives as `default`; an ES module may also export `apps` by name. */
function fromNamespace(namespace: Record<string, unknown>): unknown {
  if (namespace.default !== undefined) return namespace.default;
  const { __esModule: _, ...named } = namespace;
  return named;
}

/** Accepts `{ apps: [...] }`, a bare array of apps, or one app object with a `script`. */
function extractApps(content: unknown, fail: Fail): Record<string, unknown>[] {
  let list: unknown[];
  if (Array.isArray(content)) list = content;
  else if (isObject(content) && ('apps' in content || 'pm2' in content)) {
    // PM2 reads `pm2:` as `apps:` (issue 17).
    const key = 'apps' in content ? 'apps' : 'pm2';
    const apps = content[key];
    if (Array.isArray(apps)) list = apps;
    else if (isObject(apps)) list = [apps];
    else throw fail(`"${key}" must be a list of apps, got ${typeName(apps)}`);
  } else if (isObject(content) && 'script' in content) list = [content];
  else {
    throw fail(
      `expected { apps: [...] }, a list of apps, or one app with a "script", got ${typeName(content)}`,
    );
  }
  if (list.length === 0) throw fail('no apps defined ("apps" is empty)');
  const deployEnv = deployEnvs(content);
  return list.map((app, i) => {
    if (!isObject(app)) throw fail(`apps[${i}]: expected an app object, got ${typeName(app)}`);
    // ready_log_line: /listening on \d+/ in a .js file is meant as a regular expression: keep it one
    // (`/source/flags`), where toPlain would keep only its source (then a substring that never matches).
    const line = app.ready_log_line;
    const withRegex = line instanceof RegExp ? { ...app, ready_log_line: String(line) } : app;
    // Functions and other non-JSON values cannot cross the wire: drop them here rather than crash later.
    return withDeployEnv(toPlain(withRegex) as Record<string, unknown>, deployEnv);
  });
}

/** `deploy: { production: { env: {...} } }`: each deploy target's env, by target name. */
function deployEnvs(content: unknown): [string, Record<string, unknown>][] {
  if (!isObject(content) || !isObject(content.deploy)) return [];
  const out: [string, Record<string, unknown>][] = [];
  for (const [target, d] of Object.entries(content.deploy))
    if (isObject(d) && isObject(d.env)) out.push([target, toPlain(d.env) as Record<string, unknown>]);
  return out;
}

/**
 * PM2 7 with `--env production`: `deploy.production.env`, then the app's own `env_production` over it (both
 * over `env`). Folded here into each app's env_<target>, so --env selects it the usual way. An env_<target>
 * that is not an object is left as written: validation reports it.
 */
function withDeployEnv(
  app: Record<string, unknown>,
  deploy: readonly [string, Record<string, unknown>][],
): Record<string, unknown> {
  if (deploy.length === 0) return app;
  const out = { ...app };
  for (const [target, env] of deploy) {
    const own = out[`env_${target}`];
    if (own === undefined || own === null) out[`env_${target}`] = { ...env };
    else if (isObject(own)) out[`env_${target}`] = { ...env, ...own };
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = maskedText(value);
    return `the string ${JSON.stringify(shown.length > 40 ? `${shown.slice(0, 37)}...` : shown)}`;
  }
  return typeof value === 'undefined' ? 'nothing' : `${typeof value} ${String(value)}`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
