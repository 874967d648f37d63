// `tend graph`: the daemon's apps as a dependency tree, or Graphviz (pure renderers of app.graph's result).
// The tree reads like `npm ls`: each root is an app nothing depends on, and under every app come the apps it
// needs, labelled with the condition it waits for. An app that several apps need is expanded once; later
// occurrences end with `(*)`. Apps with no dependencies and no dependents are roots with nothing below.
import { conditionLabel } from '../../deps/conditions.js';
import type { DependencyEdge, GraphApp } from '../../protocol/dependencies.js';
import { paint } from './style.js';

export interface GraphData {
  apps: readonly GraphApp[];
  order: readonly (readonly string[])[];
}

/** `healthy, bind, restart, optional, timeout 120s`: the edge as written, defaults left out. */
export function edgeLabel(e: DependencyEdge): string {
  const parts = [conditionLabel(e.condition)];
  if (e.bind) parts.push('bind');
  if (e.restart) parts.push('restart');
  if (!e.required) parts.push('optional');
  if (e.timeout_ms > 0) parts.push(`timeout ${e.timeout_ms / 1000}s`);
  return parts.join(', ');
}

/** `online, ready 2/2`, `waiting: waiting for db (healthy), 3s`, `online 1, errored 1`. */
export function appState(app: GraphApp): string {
  const { instances } = app;
  if (instances.length === 0) return 'no instances';
  const counts = new Map<string, number>();
  for (const i of instances) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
  const status =
    counts.size === 1 ? [...counts.keys()].join('') : [...counts].map(([s, n]) => `${s} ${n}`).join(', ');
  const parts = [status];
  if (instances.some((i) => i.status === 'online'))
    parts.push(`ready ${instances.filter((i) => i.ready).length}/${instances.length}`);
  const reason = instances.find((i) => i.reason !== null)?.reason;
  return reason ? `${parts.join(', ')}: ${reason}` : parts.join(', ');
}

export function renderGraph(data: GraphData, opts: { colour: boolean }): string {
  if (data.apps.length === 0) return 'No apps.';
  const byName = new Map(data.apps.map((a) => [a.name, a]));
  const shown = new Set<string>();
  const lines: string[] = [];
  const dim = (s: string) => paint('dim', s, opts.colour);
  const line = (prefix: string, name: string, label: string | null, app: GraphApp | undefined) => {
    const head = paint('bold', name, opts.colour) + (label ? ` ${dim(`(${label})`)}` : '');
    const state = app ? appState(app) : 'not known to the daemon';
    const repeat = app && shown.has(name) && app.depends_on.length > 0 ? ` ${dim('(*)')}` : '';
    lines.push(`${prefix}${head}  ${state}${repeat}`);
  };
  const below = (app: GraphApp, indent: string) => {
    if (shown.has(app.name)) return;
    shown.add(app.name);
    app.depends_on.forEach((e, i) => {
      const last = i === app.depends_on.length - 1;
      const dep = byName.get(e.name);
      line(`${indent}${last ? '└── ' : '├── '}`, e.name, edgeLabel(e), dep);
      if (dep) below(dep, `${indent}${last ? '    ' : '│   '}`);
    });
  };
  for (const app of data.apps.filter((a) => a.dependents.length === 0)) {
    line('', app.name, null, app);
    below(app, '');
  }
  return lines.join('\n');
}

/** Graphviz: one node per app (its state in the label), one edge per dependency, dependent → dependency. */
export function renderDot(data: GraphData): string {
  const q = (s: string) => JSON.stringify(s);
  const out = ['digraph tend {', '  node [shape=box];'];
  for (const app of data.apps) out.push(`  ${q(app.name)} [label=${q(`${app.name}\n${appState(app)}`)}];`);
  for (const app of data.apps)
    for (const e of app.depends_on) {
      const style = e.required ? '' : ', style=dashed';
      out.push(`  ${q(app.name)} -> ${q(e.name)} [label=${q(edgeLabel(e))}${style}];`);
    }
  out.push('}');
  return out.join('\n');
}
