// One line of the results table: a measurement for tend, PM2 and the physical floor, with the target it is
// judged against. Plain data (it goes into the JSON file as is); judge() turns samples into a verdict.
import { median, type Summary, summarize } from './stats.js';

export type Unit = 'ms' | 's' | 'MiB' | 'KiB' | 'CPU s' | '% core' | 'req/s' | 'lines' | 'requests' | 'apps';

/** Samples, or why there are none ("n/a (needs issue 5)", "skipped in --quick"). */
export type Cell = { samples: number[] } | { na: string };

export type Target =
  /** tend's median compared with PM2's or the floor's: tend/other ≤ value (or ≥ for throughput). */
  | { kind: 'ratio'; against: 'pm2' | 'floor'; op: '<=' | '>='; value: number }
  /** tend's median against an absolute bound, in the row's unit. */
  | { kind: 'abs'; op: '<=' | '>='; value: number }
  /** Judged by the scenario itself (e.g. against another row); text says what, pass says how it went. */
  | { kind: 'custom'; text: string; pass: boolean | null };

export interface Row {
  number: number;
  scenario: string;
  label: string;
  unit: Unit;
  tend: Cell;
  pm2: Cell;
  floor: Cell;
  targets: Target[];
  note?: string;
}

export const NONE: Cell = { na: '' };
export const na = (why: string): Cell => ({ na: why });
export const cell = (samples: number[]): Cell => ({ samples });

export function med(c: Cell): number | null {
  return 'samples' in c && c.samples.length > 0 ? median(c.samples) : null;
}

export function cellSummary(c: Cell): Summary | { na: string } {
  return 'samples' in c ? summarize(c.samples) : c;
}

export function targetText(t: Target): string {
  if (t.kind === 'custom') return t.text;
  const op = t.op === '<=' ? '≤' : '≥';
  if (t.kind === 'abs') return `${op} ${t.value}`;
  return `${op} ${t.value}× ${t.against === 'pm2' ? 'PM2' : 'floor'}`;
}

/** true, false, or null when it cannot be judged (a side is n/a). */
export function judgeOne(row: Row, t: Target): boolean | null {
  if (t.kind === 'custom') return t.pass;
  const mine = med(row.tend);
  if (mine === null) return null;
  const cmp = (a: number, b: number) => (t.op === '<=' ? a <= b : a >= b);
  if (t.kind === 'abs') return cmp(mine, t.value);
  const other = med(t.against === 'pm2' ? row.pm2 : row.floor);
  if (other === null || other === 0) return null;
  return cmp(mine / other, t.value);
}

export function judge(row: Row): boolean | null {
  const verdicts = row.targets.map((t) => judgeOne(row, t));
  if (verdicts.length === 0) return null;
  if (verdicts.includes(false)) return false;
  if (verdicts.includes(null)) return null;
  return true;
}

/** The A/A run: the same tool twice, side by side, so a reader sees which differences are noise. */
export interface AaRow {
  number: number;
  scenario: string;
  label: string;
  unit: Unit;
  a: number[];
  b: number[];
}
