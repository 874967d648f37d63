// Ecosystem files as targets: `tend stop ecosystem.config.js --only api` means the apps that file names.
import type { TendClient } from '../client/client.js';
import type { AppInput } from '../config/input-types.js';
import { type EcosystemFile, isEcosystemFile, loadEcosystemFile } from '../config/load-file.js';
import { TendError } from '../protocol/errors.js';
import { callerEnv } from './options.js';
import { reportFailures } from './report-failures.js';
import { reportRejected, warnNote } from './session.js';

export { isEcosystemFile, loadEcosystemFile };

/** The app names of a loaded file (all, or those of `--only`); each app needs a name to be a target. */
export function appNamesOf(file: EcosystemFile, only: readonly string[] | undefined): string[] {
  const { apps, source } = file;
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

/** An ecosystem file as the protocol carries it (restart / reload apply it; --update-env reads its env). */
export function fileParamOf(file: EcosystemFile, envName: string | undefined) {
  return { apps: file.apps, source: file.source, base_dir: file.baseDir, env_name: envName ?? null };
}

/** `--update-env`: this shell's environment and, when the target is an ecosystem file, the file's apps. */
export function updateEnvOf(file: EcosystemFile | null, envName: string | undefined) {
  return { env: callerEnv(), file: file ? fileParamOf(file, envName) : null };
}

/**
 * restart / reload of a file: starts the apps it names that are not running yet, printing the daemon's
 * notes and the apps it left out (their problems; the exit status becomes 2).
 */
export async function startMissing(
  c: TendClient,
  file: EcosystemFile,
  names: string[],
  opts: { env?: string; updateEnv?: boolean },
): Promise<void> {
  const { processes, notes, rejected } = await c.call('app.start', {
    // Unchecked data from a file: the daemon validates every field (it is the trust boundary).
    apps: file.apps as AppInput[],
    source: file.source,
    base_dir: file.baseDir,
    env: callerEnv(),
    env_name: opts.env ?? null,
    only: names,
    update_env: opts.updateEnv ?? false,
  });
  for (const n of notes) warnNote(n);
  reportFailures(processes);
  reportRejected(rejected);
}
