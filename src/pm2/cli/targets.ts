// PM2's targets over tend's process list: a name, an id, `all`, a namespace, a script file (the apps whose
// script is that file) or `/regex/` on names. Pure: the list, the directory paths are relative to, and a
// way to tell a file. Ecosystem files are the caller's (loading one runs its code: once per command).
import { resolve } from 'node:path';
import type { ProcessInfo } from '../../protocol/process-info.js';

/** The process list fields target matching reads. */
export type Listed = Pick<ProcessInfo, 'id' | 'name' | 'namespace' | 'script' | 'status' | 'wanted'>;

/** `/api-\d+/` or `/API/i`: PM2's regex target, on names. Null: not one. */
export function regexOf(token: string): RegExp | null {
  const m = /^\/(.+)\/([a-z]*)$/.exec(token);
  if (!m) return null;
  try {
    return new RegExp(m[1]!, m[2]);
  } catch {
    return null;
  }
}

/** The processes one token names, in list order; empty when it names none. */
export function matchToken(token: string, processes: readonly Listed[], cwd: string): Listed[] {
  if (token === 'all') return [...processes];
  if (/^\d+$/.test(token)) return processes.filter((p) => p.id === Number(token));
  const re = regexOf(token);
  if (re) return processes.filter((p) => re.test(p.name));
  const byName = processes.filter((p) => p.name === token);
  if (byName.length > 0) return byName;
  const byNamespace = processes.filter((p) => p.namespace === token);
  if (byNamespace.length > 0) return byNamespace;
  // A script path, as typed (relative to here), or the script as tend stored it (a command on PATH).
  const path = resolve(cwd, token);
  return processes.filter((p) => p.script === path || p.script === token);
}

export interface Resolved {
  /** Every process named, each once, in the order of the tokens. */
  readonly matched: Listed[];
  /** Tokens that named nothing. */
  readonly missing: string[];
}

export function resolvePm2Targets(
  tokens: readonly string[],
  processes: readonly Listed[],
  cwd: string,
): Resolved {
  const seen = new Set<number>();
  const matched: Listed[] = [];
  const missing: string[] = [];
  for (const token of tokens) {
    const found = matchToken(token, processes, cwd);
    if (found.length === 0) missing.push(token);
    for (const p of found)
      if (!seen.has(p.id)) {
        seen.add(p.id);
        matched.push(p);
      }
  }
  return { matched, missing };
}

/** Running, or on its way (PM2's restart applies); otherwise a start, not counted as a restart. */
export function isDown(p: Pick<Listed, 'status' | 'wanted'>): boolean {
  return p.wanted === 'down' || p.status === 'stopped' || p.status === 'errored';
}

/** The ids as the protocol's target (ids are unambiguous where names may be shared by a namespace). */
export function idsOf(processes: readonly Pick<Listed, 'id'>[]): string[] {
  return processes.map((p) => String(p.id));
}
