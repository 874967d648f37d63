// A command's targets, PM2's way: one ecosystem file (its apps), or tokens matched against the process list
// (targets.ts). A token that names nothing is an error naming it, as PM2's "Process or Namespace … not found".

import { appNamesOf, isEcosystemFile, loadEcosystemFile } from '../../cli/ecosystem.js';
import type { TendClient } from '../../client/client.js';
import type { EcosystemFile } from '../../config/load-file.js';
import { TendError } from '../../protocol/errors.js';
import type { ProcessInfo } from '../../protocol/process-info.js';
import { resolvePm2Targets } from './targets.js';

export type Resolution =
  | { kind: 'file'; file: EcosystemFile; names: string[]; processes: ProcessInfo[] }
  | { kind: 'processes'; matched: ProcessInfo[]; processes: ProcessInfo[] };

/** A file target: one ecosystem file, or `-` (a file on stdin, read by the config loader). */
export function isFileToken(token: string): boolean {
  return token === '-' || isEcosystemFile(token);
}

export async function resolveTokens(
  c: TendClient,
  tokens: readonly string[],
  only: string[] | undefined,
): Promise<Resolution> {
  const { processes } = await c.call('process.list');
  if (tokens.length === 1 && isFileToken(tokens[0]!)) {
    const file = await loadEcosystemFile(tokens[0]!);
    return { kind: 'file', file, names: appNamesOf(file, only), processes };
  }
  const { matched, missing } = resolvePm2Targets(tokens, processes, process.cwd());
  if (missing.length > 0) throw new TendError('TEND_ERR_TARGET_NOT_FOUND', { target: missing });
  return { kind: 'processes', matched: matched as ProcessInfo[], processes };
}
