// An ecosystem file's apps stand alone: an app with problems of its own (a bad field, a missing watch path, a
// malformed env file) is left out and reported, and the file's other apps start. Problems of the whole input
// (syntax, an empty list, an unknown name in --only, TEND_LOG_* defaults) still fail it, and the command
// line (one app) is strict as before.
import { isTendError, type TendError } from '../protocol/errors.js';
import { type ConfigIssue, configError } from './issues.js';
import { type NormalizeInput, normalizeApps } from './normalize.js';
import type { AppSpec } from './spec.js';

export interface LenientResult {
  specs: AppSpec[];
  /** The problems of the apps left out (one TEND_ERR_CONFIG_INVALID), or null. */
  rejected: { error: TendError; apps: string[] } | null;
}

export function normalizeAppsLenient(input: NormalizeInput): LenientResult {
  try {
    return { specs: normalizeApps(input), rejected: null };
  } catch (err) {
    const split = input.apps.length > 1 ? splitByApp(err) : null;
    if (split === null) throw err;
    const nameOf = (i: number) => {
      const name = input.apps[i]?.name;
      return typeof name === 'string' ? name : `apps[${i}]`;
    };
    // With --only, an app that was not asked for is neither started nor reported.
    const asked = (i: number) => input.only === null || input.only.includes(nameOf(i));
    const bad = [...split.keys()];
    const keptAt = input.apps.map((_, i) => i).filter((i) => !split.has(i));
    const kept = keptAt.map((i) => input.apps[i] as Record<string, unknown>);
    const only = input.only?.filter((name) => !bad.some((i) => nameOf(i) === name)) ?? null;
    if (kept.length === 0 || (only !== null && only.length === 0)) throw err;
    let specs: AppSpec[];
    try {
      // The kept apps keep their positions in the file: their notes say apps[2] where the file has it.
      const positions = keptAt.map((i) => input.positions?.[i] ?? i);
      specs = normalizeApps({ ...input, apps: kept, only, positions });
    } catch {
      throw err; // the first error names every problem with the file's own positions
    }
    const reported = bad.filter(asked);
    if (reported.length === 0) return { specs, rejected: null };
    const issues = reported.flatMap((i) => split.get(i) ?? []);
    return { specs, rejected: { error: configError(input.source, issues), apps: reported.map(nameOf) } };
  }
}

/** The issues of a config error by app index, or null when one of them is not about a single app. */
function splitByApp(err: unknown): Map<number, ConfigIssue[]> | null {
  if (!isTendError(err) || err.code !== 'TEND_ERR_CONFIG_INVALID') return null;
  const issues = (err.data as { issues?: ConfigIssue[] }).issues ?? [];
  const byApp = new Map<number, ConfigIssue[]>();
  for (const issue of issues) {
    const m = /^apps\[(\d+)\]/.exec(issue.path);
    if (!m) return null;
    const i = Number(m[1]);
    byApp.set(i, [...(byApp.get(i) ?? []), issue]);
  }
  return byApp.size > 0 ? byApp : null;
}
