// The target of stop/restart/delete/reload: names, ids, namespaces, `all`, or an ecosystem file (its apps).
import type { EcosystemFile } from '../config/load-file.js';
import { appNamesOf, isEcosystemFile, loadEcosystemFile } from './ecosystem.js';

export interface Targets {
  target: string[];
  /** The ecosystem file the target was, loaded once (running a .js file twice would run its code twice). */
  file: EcosystemFile | null;
}

export async function resolveTargets(tokens: string[], only: string[] | undefined): Promise<Targets> {
  if (tokens.length === 1 && isEcosystemFile(tokens[0]!)) {
    const file = await loadEcosystemFile(tokens[0]!);
    return { target: appNamesOf(file, only), file };
  }
  return { target: tokens, file: null };
}
