// Pure layout of `tend monit`: how the screen's rows are shared, which table rows are visible, and the
// text of each row. No React here, so it is unit-tested with plain values.
import type { ProcessInfo } from '../protocol/process-info.js';

export interface Heights {
  /** Table body rows (without its header line). */
  table: number;
  /** Log lines. */
  logs: number;
}

/** Header (1) + table header (1) + table + details (1) + logs title (1) + logs + footer (1). */
export function heights(rows: number, processes: number): Heights {
  const fixed = 5;
  const free = Math.max(2, rows - fixed);
  // The table takes what it needs, up to about half the screen; the logs get the rest.
  const table = Math.max(1, Math.min(Math.max(processes, 1), Math.floor(free / 2)));
  return { table, logs: Math.max(1, free - table) };
}

/** First visible row, so that `selected` stays in a window of `size` rows, moving as little as possible. */
export function scrollTop(selected: number, previousTop: number, size: number, count: number): number {
  let top = Math.min(previousTop, Math.max(0, count - size));
  if (selected < top) top = selected;
  if (selected >= top + size) top = selected - size + 1;
  return Math.max(0, top);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const COLUMNS = [
  ['id', 4],
  ['name', 0], // the rest of the width
  ['status', 16],
  ['cpu', 7],
  ['memory', 10],
  ['restarts', 9],
  ['uptime', 7],
] as const;

function fit(text: string, width: number, right = false): string {
  const t = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return right ? t.padStart(width) : t.padEnd(width);
}

function nameWidth(columns: number): number {
  const fixed = COLUMNS.reduce((sum, [, w]) => sum + w + 1, 0);
  return Math.max(8, columns - fixed - 1);
}

export function headerRow(columns: number): string {
  const nw = nameWidth(columns);
  return COLUMNS.map(([label, w], i) => fit(label, w || nw, i >= 3)).join(' ');
}

export function processRow(p: ProcessInfo, columns: number): string {
  const running = p.pid !== null;
  const cells = [
    String(p.id),
    p.name,
    p.status,
    running ? `${p.cpu.toFixed(1)}%` : '-',
    running ? formatBytes(p.memory) : '-',
    String(p.restarts),
    p.status === 'online' ? formatUptime(p.uptime_ms) : '-',
  ];
  const nw = nameWidth(columns);
  return COLUMNS.map(([, w], i) => fit(cells[i] ?? '', w || nw, i >= 3)).join(' ');
}

/** Cuts a line to the screen width (tabs and control characters would move the cursor). */
export function clip(line: string, columns: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = line.replace(/\t/g, '  ').replace(/\u001b\[[0-9;?]*[A-Za-z]|[\u0000-\u001f\u007f]/g, '');
  return clean.length > columns ? `${clean.slice(0, Math.max(0, columns - 1))}…` : clean;
}
