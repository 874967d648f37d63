// The target of stop/restart/delete: names, ids, namespaces, `all`, or an ecosystem file (its apps).
import { appNamesOf, isEcosystemFile } from './ecosystem.js';

export interface Targets {
  target: string[];
  /** Set when the target was an ecosystem file. */
  file: string | null;
}

export async function resolveTargets(tokens: string[], only: string[] | undefined): Promise<Targets> {
  if (tokens.length === 1 && isEcosystemFile(tokens[0]!)) {
    return { target: await appNamesOf(tokens[0]!, only), file: tokens[0]! };
  }
  return { target: tokens, file: null };
}
