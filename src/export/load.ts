// The ecosystem file → the same frozen, validated AppSpecs `tend start` gets, normalised here in the CLI
// (an export needs no daemon): the same loader, the same normalisation, the same errors.

import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { containerDefaults } from '../config/container-defaults.js';
import { configError } from '../config/issues.js';
import { loadEcosystemFile } from '../config/load-file.js';
import { normalizeApps } from '../config/normalize.js';
import type { AppSpec } from '../config/spec.js';
import { TendError } from '../protocol/errors.js';
import { resolveHome } from '../protocol/home.js';

export interface LoadedExport {
  readonly apps: readonly AppSpec[];
  readonly source: string;
  /** The file as the shell named it through a link, when that differs (givenAs), or null. */
  readonly givenAs: string | null;
  readonly sha256: string;
  readonly logDir: string;
  /**
   * Apps whose `instances` count follows the CPUs (`'max'`, 0, -n): their count here is 1, whatever machine
   * exports them (the target machine's CPUs decide; the renderers warn).
   */
  readonly cpuRelative: readonly string[];
  /** The current directory (the image's build context: image-paths.ts). */
  readonly cwd: string;
  /** `--only` as given. */
  readonly only: readonly string[] | null;
  /** The absolute `cwd`, `script` and `interpreter` values of the file (ExportInput.absolutePaths). */
  readonly absolutePaths: readonly string[];
}

// Two CPU counts no machine exporting has: an app whose instances differ between them counts CPUs.
const CPUS = [4096, 4097] as const;

/** The words of tend start's check (config/dependency-checks.ts) that are not true of an export. */
const OR_RUNNING = / in this file or running in tend( \(.*\))?$/;

/**
 * `fn`, its config error worded for an export. The depends_on check is tend start's (the one validator),
 * where a dependency may be an app the daemon runs, and its message says "in this file or running in tend";
 * an export asks no daemon, it reads the file alone (eighth audit: the message said so of an app that was
 * running in tend). Only that wording changes; the check and its hint (did you mean, the file's apps) stay.
 */
function forExport<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof TendError) || !err.is('TEND_ERR_CONFIG_INVALID') || !err.data.issues) throw err;
    const issues = err.data.issues.map((issue) => ({
      path: issue.path,
      message: issue.message.replace(
        OR_RUNNING,
        (_, hint = '') =>
          ` in this file${hint}; an export reads only the file, never the apps running in tend: define it in the file, or take it out of depends_on`,
      ),
    }));
    throw configError(err.data.where ?? null, issues);
  }
}

export async function loadForExport(
  file: string,
  opts: { only: readonly string[] | null; envName: string | null; cwd?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedExport> {
  // `--only ,` (or names the CLI found empty): no app named, which would export nothing and exit 0.
  if (opts.only !== null && (opts.only.length === 0 || opts.only.some((n) => n.trim() === '')))
    throw new TendError('TEND_ERR_CONFIG_INVALID', {
      where: '--only',
      detail: `expected comma-separated app names, got ${opts.only.length === 0 ? 'none' : 'an empty name'}`,
    });
  const eco = await loadEcosystemFile(file);
  const sha256 = createHash('sha256').update(readFileSync(eco.source)).digest('hex');
  const logDir = join(resolveHome(env), 'logs');
  const callerEnv = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  // What tend-runtime itself assumes in every target (config/container-defaults.ts): KillSignal= and
  // stop_signal say what the app really gets.
  const apps = eco.apps.map(containerDefaults);
  const normalize = (cpus: number) =>
    normalizeApps({
      apps,
      source: eco.source,
      baseDir: eco.baseDir,
      // Scripts are found as `tend start` finds them; only the apps' own variables are exported (env.ts).
      callerEnv,
      envName: opts.envName,
      only: opts.only,
      logDir,
      execPath: process.execPath,
      cpus,
    });
  // Not this machine's CPU count: the export would depend on where it ran (`taskset -c 0` gave another file).
  const [specs, again] = forExport(() => [normalize(CPUS[0]), normalize(CPUS[1])]);
  const cpuRelative = specs.filter((a, i) => a.instances !== again[i]?.instances).map((a) => a.name);
  const fixed = specs.map((a) => (cpuRelative.includes(a.name) ? Object.freeze({ ...a, instances: 1 }) : a));
  const cwd = resolve(opts.cwd ?? process.cwd());
  const absolutePaths = [
    ...new Set(
      apps.flatMap((a) =>
        ['cwd', 'script', 'interpreter']
          .map((k) => a[k])
          .filter((v): v is string => typeof v === 'string' && isAbsolute(v))
          .map((v) => resolve(v)),
      ),
    ),
  ].sort();
  return {
    apps: fixed,
    source: eco.source,
    givenAs: givenAs(file, eco.source, env),
    sha256,
    logDir,
    cpuRelative,
    cwd,
    only: opts.only,
    absolutePaths,
  };
}

/**
 * The ecosystem file as the user's shell names it, when that is another path to the same file: from a release
 * link (`cd /srv/app/current`, → releases/42), `$PWD` keeps the link. The header records it, so the export
 * after the link moved to release 43 is the same file's, not another project's (verification of the tenth
 * audit). Loading stays physical, as the kernel and `tend start` resolve `..` (its second verification:
 * `../../shared/server.js` of a Capistrano release was looked for beside the link).
 */
function givenAs(file: string, source: string, env: NodeJS.ProcessEnv): string | null {
  const real = process.cwd();
  const pwd = env.PWD;
  if (pwd === undefined || !isAbsolute(pwd) || pwd === real || isAbsolute(file)) return null;
  try {
    if (realpathSync(pwd) !== realpathSync(real)) return null;
    const named = resolve(pwd, file);
    return named !== source && realpathSync(named) === realpathSync(source) ? named : null;
  } catch {
    return null;
  }
}
