// depends_on across the apps of one input, and the apps the daemon already runs (NormalizeInput.existing):
// names that exist, no app depending on itself, no cycle (printed with its path, in file order, never
// "broken" silently as systemd does), and what a condition needs of its dependency (`process_healthy` a
// readiness source, `process_log_ready` a ready_log_line). Also `--only api` pulling in what api depends on.
// Problems are issues of the same pass as every other problem of the input (config/normalize.ts).

import { hasReadinessSource } from '../health/readiness.js';
import type { CheckedApp } from './app-checks.js';
import type { DependencyIn } from './depends-on-field.js';
import { type ConfigIssue, formatPath } from './issues.js';
import type { ReadApp } from './read-app.js';
import type { AppSpec } from './spec.js';
import { closest } from './suggest.js';

const depsOf = (app: ReadApp): readonly DependencyIn[] => app.fields.depends_on ?? [];
const quote = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** Unknown names, self-dependencies and cycles, among `apps` (the whole input) and the running `existing`. */
export function dependencyGraphIssues(apps: readonly ReadApp[], existing: readonly AppSpec[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const inFile = apps.map((a) => a.name);
  const known = new Set([...inFile, ...existing.map((s) => s.name)]);
  for (const app of apps)
    for (const { dep, at } of depsOf(app)) {
      const path = formatPath(app.location, ['depends_on', at]);
      if (dep.name === app.name)
        issues.push({ path, message: `an app cannot depend on itself, got "${dep.name}"` });
      else if (!known.has(dep.name)) {
        // Not the app itself: it cannot depend on itself (a one-app file `web` depending on `web2` was
        // asked "did you mean web?").
        const hint = closest(dep.name, new Set([...known].filter((n) => n !== app.name)));
        // The app itself is no candidate, but "none" read as "the file has no apps" (sixth audit: a file
        // with one app, web, depending on redis said "apps of the file: none").
        const others = inFile.filter((n) => n !== app.name);
        const listed =
          others.length > 0 ? `apps of the file: ${quote(others)}` : `"${app.name}" is the file's only app`;
        issues.push({
          path,
          message:
            `no app named "${dep.name}" in this file or running in tend` +
            (hint ? ` (did you mean "${hint}"?)` : ` (${listed})`),
        });
      }
    }
  // The graph: the input's apps, then the running apps the input does not define again.
  const edges = new Map<string, string[]>();
  for (const app of apps)
    edges.set(
      app.name,
      depsOf(app)
        .map((d) => d.dep.name)
        .filter((n) => n !== app.name && known.has(n)),
    );
  for (const spec of existing)
    if (!edges.has(spec.name))
      edges.set(
        spec.name,
        spec.depends_on.map((d) => d.name),
      );
  for (const cycle of cycles(edges))
    issues.push({ path: 'apps', message: `dependency cycle: ${cycle.join(' → ')}` });
  return issues;
}

/**
 * Every cycle a depth-first walk meets, each once, from the node of the cycle that comes first in the
 * graph's order (the file's), its dependencies in the order written: the same input, the same message.
 */
export function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const order = [...edges.keys()];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found = new Map<string, string[]>();
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const s = state.get(next);
      if (s === undefined) visit(next);
      else if (s === 'open') {
        const loop = stack.slice(stack.indexOf(next));
        const first = loop.reduce((a, b) => (order.indexOf(b) < order.indexOf(a) ? b : a));
        const i = loop.indexOf(first);
        const rotated = [...loop.slice(i), ...loop.slice(0, i)];
        const key = [...rotated].join('\u0000');
        if (!found.has(key)) found.set(key, [...rotated, first]);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of order) if (!state.has(node)) visit(node);
  return [...found.values()];
}

/** What the dependency a condition waits on is, to check that it can say what the condition waits for. */
interface Target {
  readonly ready: boolean;
  readonly logLine: boolean;
  /** How to name it in a message: `db`, or `db (running)`. */
  readonly label: string;
}

/**
 * `process_healthy` needs a dependency with a readiness source (health/readiness.ts), `process_log_ready` one
 * with a ready_log_line. The dependency is a selected app of the input, else a running one; one with a
 * wrong readiness field of its own is not judged (its own problem is reported).
 */
export function conditionIssues(
  selected: readonly ReadApp[],
  checked: readonly CheckedApp[],
  existing: readonly AppSpec[],
): ConfigIssue[] {
  const targets = new Map<string, Target | null>();
  selected.forEach((app, i) => {
    const c = checked[i] as CheckedApp;
    const judged = ['wait_ready', 'ready_log_line', 'startup_probe', 'readiness_probe', 'exec_mode'];
    if (judged.some((k) => app.bad.has(k)) || c.target === null) {
      targets.set(app.name, null);
      return;
    }
    // Only these keys are read (health/readiness.ts): the rest of a spec does not exist yet.
    const spec = { ...c.health, wait_ready: app.fields.wait_ready ?? false, exec_mode: c.execMode };
    const ready = hasReadinessSource(spec as unknown as AppSpec);
    targets.set(app.name, { ready, logLine: c.health.ready_log_line !== null, label: app.name });
  });
  for (const spec of existing)
    if (!targets.has(spec.name))
      targets.set(spec.name, {
        ready: hasReadinessSource(spec),
        logLine: spec.ready_log_line !== null,
        label: `${spec.name} (running)`,
      });
  const issues: ConfigIssue[] = [];
  for (const app of selected)
    for (const { dep, at } of depsOf(app)) {
      const target = targets.get(dep.name);
      if (!target) continue;
      const path = formatPath(app.location, ['depends_on', at, 'condition']);
      if (dep.condition === 'process_healthy' && !target.ready)
        issues.push({
          path,
          message:
            `"process_healthy" waits until ${dep.name} is ready, and ${target.label} has no readiness source: ` +
            `give it wait_ready, ready_log_line, a startup_probe or a readiness_probe (a cluster app is ready ` +
            `when it listens), or wait for "process_started"`,
        });
      if (dep.condition === 'process_log_ready' && !target.logLine)
        issues.push({
          path,
          message: `"process_log_ready" waits for ${dep.name}'s ready_log_line, and ${target.label} has none: set ready_log_line on ${dep.name}`,
        });
    }
  return issues;
}

/**
 * With `--only api`: the apps api depends on, transitively, that the input defines and the daemon does not
 * run yet, added to the selection (in the input's order), each with a note.
 */
export function withDependencies(
  apps: readonly ReadApp[],
  selected: readonly ReadApp[],
  existing: readonly AppSpec[],
): ReadApp[] {
  const byName = new Map(apps.map((a) => [a.name, a]));
  const running = new Set(existing.map((s) => s.name));
  const chosen = new Set(selected);
  const why = new Map<ReadApp, string>();
  const queue = [...selected];
  for (let app = queue.shift(); app !== undefined; app = queue.shift())
    for (const { dep } of depsOf(app)) {
      const target = byName.get(dep.name);
      if (target === undefined || chosen.has(target) || running.has(dep.name)) continue;
      chosen.add(target);
      why.set(target, app.name);
      queue.push(target);
    }
  for (const [app, dependent] of why)
    app.notes.push(`${app.location}: started too: ${dependent} depends on it (TEND_ERR_NOTICE)`);
  return apps.filter((a) => chosen.has(a));
}
