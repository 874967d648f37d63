// How many processes an app runs, and how: PM2's rules. `instances` takes a count, 0 or "max" (one per CPU)
// or -n (CPUs minus n); a Node app given `instances` without `exec_mode` runs in cluster mode (PM2's `-i`),
// anything else in fork mode. Cluster mode needs a Node interpreter: asking for it otherwise is an error.
import path from 'node:path';
import { configError } from './issues.js';
import type { ReadApp } from './read-app.js';
import type { ScriptTarget } from './resolve-script.js';
import type { ExecMode } from './spec.js';

/** The number of instances, resolved on this machine; -n beyond the CPUs is an error, not a silent 1. */
export function instancesOf(app: ReadApp, cpus: number, source: string | null): number {
  const written = app.fields.instances ?? 1;
  const available = Math.max(1, cpus);
  if (written === 0) return available;
  if (written > 0) return written;
  if (available + written >= 1) return available + written;
  throw configError(source, [
    {
      path: `${app.location}.instances`,
      message: `expected -n with n smaller than the number of CPUs (${available}), a positive integer, or "max", got ${written}`,
    },
  ]);
}

export function execModeOf(
  app: ReadApp,
  target: ScriptTarget,
  instances: number,
  source: string | null,
  notes: string[],
): ExecMode {
  const written = app.fields.exec_mode;
  if (written === 'cluster' && !target.is_node) {
    const runs = target.interpreter
      ? `runs with ${path.basename(target.interpreter)}`
      : 'is executed directly (no Node interpreter)';
    throw configError(source, [
      {
        path: `${app.location}.exec_mode`,
        message: `cluster mode runs Node.js scripts only, and ${path.basename(target.script)} ${runs}; use exec_mode "fork" (instances still apply)`,
      },
    ]);
  }
  if (written !== undefined) return written;
  if (app.fields.instances === undefined) return 'fork';
  if (target.is_node) return 'cluster';
  if (instances > 1)
    notes.push(
      `${app.location}: the instances of ${path.basename(target.script)} run in fork mode (cluster mode is for Node.js scripts): they cannot share a port`,
    );
  return 'fork';
}
