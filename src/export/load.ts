// The ecosystem file → the same frozen, validated AppSpecs `tend start` gets, normalised here in the CLI
// (an export needs no daemon): the same loader, the same normalisation, the same errors.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEcosystemFile } from '../config/load-file.js';
import { normalizeApps } from '../config/normalize.js';
import type { AppSpec } from '../config/spec.js';
import { resolveHome } from '../protocol/home.js';
import { cpuCount } from '../runtime/cpu-count.js';

export interface LoadedExport {
  readonly apps: readonly AppSpec[];
  readonly source: string;
  readonly sha256: string;
  readonly logDir: string;
}

export async function loadForExport(
  file: string,
  opts: { only: readonly string[] | null; envName: string | null },
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedExport> {
  const eco = await loadEcosystemFile(file);
  const sha256 = createHash('sha256').update(readFileSync(eco.source)).digest('hex');
  const logDir = join(resolveHome(env), 'logs');
  const callerEnv = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const apps = normalizeApps({
    apps: eco.apps,
    source: eco.source,
    baseDir: eco.baseDir,
    // Scripts are found as `tend start` finds them; only the apps' own variables are exported (env.ts).
    callerEnv,
    envName: opts.envName,
    only: opts.only,
    logDir,
    execPath: process.execPath,
    cpus: cpuCount(),
  });
  return { apps, source: eco.source, sha256, logDir };
}
