// A snapshot of the process table read from /proc, and the tree questions kill-tree asks of it.
import { readdirSync } from 'node:fs';
import { readProcStat } from './proc-stat.js';

export interface ProcessEntry {
  ppid: number;
  pgid: number;
  /** Clock ticks after boot; with the pid it identifies one process across pid reuse. */
  starttime: number;
  state: string;
}

export type ProcessTable = Map<number, ProcessEntry>;

/**
 * Reads every /proc/<pid>/stat. The table is a snapshot: processes start and exit while it is read, so a
 * pid listed by readdir may be gone by the time its stat is opened; such pids are skipped, never an error.
 * Threads are not listed (they live under /proc/<pid>/task), which is what we want: signals go to processes.
 */
export function readProcessTable(): ProcessTable {
  const table: ProcessTable = new Map();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return table; // no /proc (not Linux, or a restricted sandbox): an empty table degrades to group kill only
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat === undefined) continue;
    table.set(stat.pid, { ppid: stat.ppid, pgid: stat.pgid, starttime: stat.starttime, state: stat.state });
  }
  return table;
}

/** All descendants of pid (children, grandchildren, … every generation), in breadth-first order. */
export function descendantsOf(pid: number, table: ProcessTable): number[] {
  return descendantsOfAll([pid], table);
}

/** The union of the descendants of several roots; the roots themselves are not included. */
export function descendantsOfAll(roots: readonly number[], table: ProcessTable): number[] {
  const children = new Map<number, number[]>();
  for (const [child, entry] of table) {
    const siblings = children.get(entry.ppid);
    if (siblings === undefined) children.set(entry.ppid, [child]);
    else siblings.push(child);
  }
  const found: number[] = [];
  const seen = new Set<number>(roots);
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    for (const child of children.get(queue[i]!) ?? []) {
      // The table is read non-atomically; a recycled pid could in theory close a cycle. `seen` ends it.
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Members of process group pgid, leader included if it is still in the table. */
export function membersOfGroup(pgid: number, table: ProcessTable): number[] {
  const members: number[] = [];
  for (const [pid, entry] of table) if (entry.pgid === pgid) members.push(pid);
  return members;
}
