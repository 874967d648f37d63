// `tend ls --sort <key>[:asc|:desc]` (PM2's flag): the order of the table's rows. Pure: parsed once, applied
// to the list the daemon sent (which is in id order). Ties keep id order, so the table is stable between runs.
import type { ProcessInfo } from '../../protocol/process-info.js';

const KEYS = {
  name: (p: ProcessInfo) => p.name,
  id: (p: ProcessInfo) => p.id,
  cpu: (p: ProcessInfo) => p.cpu,
  memory: (p: ProcessInfo) => p.memory,
  restarts: (p: ProcessInfo) => p.restarts,
  // Only a running process has an uptime; the others sort as 0.
  uptime: (p: ProcessInfo) => (p.status === 'online' ? p.uptime_ms : 0),
} as const;

export type SortKey = keyof typeof KEYS;
export interface Sort {
  key: SortKey;
  desc: boolean;
}

export const SORT_KEYS = Object.keys(KEYS) as SortKey[];

/** `name`, `memory:desc`, `cpu:asc`; null when the text is none of them (the caller says what is expected). */
export function parseSort(text: string): Sort | null {
  const [key, order = 'asc', ...rest] = text.trim().toLowerCase().split(':');
  if (rest.length > 0 || !Object.hasOwn(KEYS, key ?? '') || (order !== 'asc' && order !== 'desc'))
    return null;
  return { key: key as SortKey, desc: order === 'desc' };
}

export function sortProcesses(processes: readonly ProcessInfo[], sort: Sort): ProcessInfo[] {
  const of = KEYS[sort.key] as (p: ProcessInfo) => string | number;
  const sign = sort.desc ? -1 : 1;
  return [...processes].sort((a, b) => {
    const x = of(a);
    const y = of(b);
    const order = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
    return order !== 0 ? sign * order : a.id - b.id;
  });
}
