// How many processes an app runs, and how: PM2's rules. `instances` takes a count, 0 or "max" (one per CPU)
// or -n (CPUs minus n); a Node app given `instances` without `exec_mode` runs in cluster mode (PM2's `-i`),
// anything else in fork mode. Cluster mode needs a Node interpreter: asking for it otherwise is an error.
// Problems are pushed to `issues` (not thrown), so they are reported with every other problem of the file.
import path from 'node:path';
import type { ConfigIssue } from './issues.js';
import type { ScriptTarget } from './resolve-script.js';
import type { ExecMode } from './spec.js';

/** The number of instances, resolved on this machine; -n beyond the CPUs is an issue, not a silent 1. */
export function instancesOf(
  written: number | undefined,
  cpus: number,
  location: string,
  issues: ConfigIssue[],
): number {
  const count = written ?? 1;
  const available = Math.max(1, cpus);
  if (count === 0) return available;
  if (count > 0) return count;
  if (available + count >= 1) return available + count;
  issues.push({
    path: `${location}.instances`,
    message: `expected -n with n smaller than the number of CPUs (${available}), a positive integer, or "max", got ${count}`,
  });
  return 1;
}

export interface ModeInput {
  readonly location: string;
  readonly exec_mode: ExecMode | undefined;
  readonly instances: number | undefined;
}

export function execModeOf(
  app: ModeInput,
  target: ScriptTarget,
  instances: number,
  notes: string[],
  issues: ConfigIssue[],
): ExecMode {
  const written = app.exec_mode;
  if (written === 'cluster' && !target.is_node) {
    const runs = target.interpreter
      ? `runs with ${path.basename(target.interpreter)}`
      : 'is executed directly (no Node interpreter)';
    issues.push({
      path: `${app.location}.exec_mode`,
      message: `cluster mode runs Node.js scripts only, and ${path.basename(target.script)} ${runs}; use exec_mode "fork" (instances still apply)`,
    });
    return 'fork';
  }
  if (written !== undefined) return written;
  if (app.instances === undefined) return 'fork';
  if (target.is_node) return 'cluster';
  if (instances > 1)
    notes.push(
      `${app.location}: the instances of ${path.basename(target.script)} run in fork mode (cluster mode is for Node.js scripts): they cannot share a port (TEND_ERR_CONFIG_IGNORED)`,
    );
  return 'fork';
}
