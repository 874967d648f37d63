// Ecosystem files as targets: `tend stop ecosystem.config.js --only api` means the apps that file names.
import { resolve } from 'node:path';
import type { TendClient } from '../client/client.js';
import { isEcosystemFile, loadEcosystemFile } from '../config/load-file.js';
import { TendError } from '../protocol/errors.js';
import { callerEnv } from './options.js';

export { isEcosystemFile };

export async function appNamesOf(file: string, only: readonly string[] | undefined): Promise<string[]> {
  const { apps, source } = await loadEcosystemFile(file);
  const names = apps.map((a, i) => {
    if (typeof a.name === 'string' && a.name.length > 0) return a.name;
    throw new TendError('TEND_ERR_CONFIG_INVALID', {
      where: source,
      detail: `apps[${i}].name: required to use the file as a target`,
    });
  });
  if (!only || only.length === 0) return names;
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    throw new TendError('TEND_ERR_CONFIG_INVALID', {
      where: source,
      detail: `--only: no app named ${unknown.map((n) => `"${n}"`).join(', ')} (apps: ${names.join(', ')})`,
    });
  }
  return names.filter((n) => only.includes(n));
}

/** Starts the apps of `file` named in `names` (restart/reload of a file start the apps not yet running). */
export async function startFromFile(
  c: TendClient,
  file: string,
  names: string[],
  envName: string | undefined,
  updateEnv = false,
) {
  const { apps, source, baseDir } = await loadEcosystemFile(resolve(file));
  return c.call('app.start', {
    apps,
    source,
    base_dir: baseDir,
    env: callerEnv(),
    env_name: envName ?? null,
    only: names,
    update_env: updateEnv,
  });
}

/** An ecosystem file as restart / reload send it: the daemon applies its current configuration. */
export async function fileParamOf(file: string | null, envName: string | undefined) {
  if (file === null) return null;
  const { apps, source, baseDir } = await loadEcosystemFile(resolve(file));
  return { apps, source, base_dir: baseDir, env_name: envName ?? null };
}

/** `--update-env`: this shell's environment and, when the target is an ecosystem file, the file's apps. */
export async function updateEnvOf(file: string | null, envName: string | undefined) {
  return { env: callerEnv(), file: await fileParamOf(file, envName) };
}
