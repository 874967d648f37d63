// An ecosystem file's apps stand alone: an app with problems of its own (a bad field, a missing watch path, a
// malformed env file) is left out and reported, and the file's other apps start. Problems of the whole input
// (syntax, an empty list, an unknown name in --only, TEND_LOG_* defaults) still fail it, and the command
// line (one app) is strict as before. An app that depends on a left-out app is left out too (what it waits
// for will not exist), unless the daemon already runs an app of that name.
import { isTendError, type TendError } from '../protocol/errors.js';
import { writtenDependencies } from './depends-on-field.js';
import { type ConfigIssue, configError, formatPath } from './issues.js';
import { type NormalizeInput, normalizeApps } from './normalize.js';
import { whereOf } from './normalize-input.js';
import { appLocation } from './read-app.js';
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
    leaveOutDependents(input, split);
    const nameOf = (i: number) => {
      const name = input.apps[i]?.name;
      return typeof name === 'string' ? name : `apps[${i}]`;
    };
    // With --only, an app that was not asked for is neither started nor reported.
    const asked = (i: number) => input.only === null || input.only.includes(nameOf(i));
    const bad = [...split.keys()].sort((a, b) => a - b);
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
    // What a reported app depends on is reported too: its message points at that app's problems.
    const reported = bad.filter(asked);
    for (let k = 0; k < reported.length; k++)
      for (const d of writtenDependencies(input.apps[reported[k] as number]?.depends_on)) {
        const j = bad.find((b) => nameOf(b) === d.name);
        if (j !== undefined && !reported.includes(j)) reported.push(j);
      }
    reported.sort((a, b) => a - b);
    if (reported.length === 0) return { specs, rejected: null };
    const issues = reported.flatMap((i) => split.get(i) ?? []);
    return { specs, rejected: { error: configError(whereOf(input), issues), apps: reported.map(nameOf) } };
  }
}

/** Adds to `split` every app that depends, directly or not, on an app in it (and not on a running one). */
function leaveOutDependents(input: NormalizeInput, split: Map<number, ConfigIssue[]>): void {
  const running = new Set((input.existing ?? []).map((s) => s.name));
  for (let changed = true; changed; ) {
    changed = false;
    const out = new Set(
      [...split.keys()].map((i) => input.apps[i]?.name).filter((n): n is string => typeof n === 'string'),
    );
    input.apps.forEach((raw, i) => {
      if (split.has(i)) return;
      const dep = writtenDependencies(raw.depends_on).find((d) => out.has(d.name) && !running.has(d.name));
      if (dep === undefined) return;
      const location = appLocation(input.positions?.[i] ?? i, raw);
      const path = formatPath(location, ['depends_on', dep.at]);
      split.set(i, [{ path, message: `not started: "${dep.name}" is left out (its problems are listed)` }]);
      changed = true;
    });
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
