// The real TreeMemory: resident memory of a process and all its descendants, from /proc. One read of the
// process table per sample, however many roots.

import type { Inspector, TreeMemory } from '../supervisor/ports.js';
import { descendantsOf, readProcessTable } from './process-tree.js';

/** `inspector` must be this probe's own: an Inspector keeps cpu baselines for the pids it was last asked. */
export function createTreeMemory(inspector: Inspector): TreeMemory {
  return {
    sample(pids) {
      const table = readProcessTable();
      const trees = new Map(pids.map((pid) => [pid, [pid, ...descendantsOf(pid, table)]]));
      const usage = inspector.sample([...trees.values()].flat());
      const result = new Map<number, number>();
      for (const [pid, tree] of trees) {
        if (!usage.has(pid)) continue;
        result.set(
          pid,
          tree.reduce((sum, p) => sum + (usage.get(p)?.memory ?? 0), 0),
        );
      }
      return result;
    },
  };
}
