// Renders the results as an aligned text table (the terminal) or Markdown (docs/performance.md).
import { type AaRow, type Cell, judge, judgeOne, med, type Row, targetText } from './rows.js';
import { median, spread } from './stats.js';

export function fmt(v: number | null, unit: string): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (unit === 'lines' || unit === 'requests' || unit === 'req/s')
    return Math.round(v).toLocaleString('en-US');
  if (unit === 'ms') return v >= 100 ? v.toFixed(0) : v.toFixed(1);
  if (unit === 'CPU s' || unit === 's') return v.toFixed(2);
  return Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(1);
}

function show(c: Cell, unit: string): string {
  if ('na' in c) return c.na || '—';
  return fmt(med(c), unit);
}

function ratio(a: Cell, b: Cell): string {
  const x = med(a);
  const y = med(b);
  if (x === null || y === null || y === 0) return '—';
  return `${(x / y).toFixed(2)}×`;
}

function verdict(row: Row): string {
  const v = judge(row);
  if (row.targets.length === 0) return '';
  if (v === null) return row.targets.some((t) => judgeOne(row, t) === false) ? 'FAIL' : 'n/a';
  return v ? 'PASS' : 'FAIL';
}

const HEAD = [
  'scenario',
  'measure',
  'unit',
  'tend',
  'PM2',
  'floor',
  'tend/PM2',
  'tend/floor',
  'target',
  'result',
];

export function tableCells(rows: readonly Row[]): string[][] {
  return rows.map((r) => [
    `${r.number} ${r.scenario}`,
    r.label,
    r.unit,
    show(r.tend, r.unit),
    show(r.pm2, r.unit),
    show(r.floor, r.unit),
    ratio(r.tend, r.pm2),
    ratio(r.tend, r.floor),
    r.targets.map(targetText).join('; '),
    verdict(r),
  ]);
}

function aaCells(rows: readonly AaRow[]): string[][] {
  return rows.map((r) => {
    const a = median(r.a);
    const b = median(r.b);
    return [
      `${r.number} ${r.scenario}`,
      r.label,
      r.unit,
      fmt(a, r.unit),
      fmt(b, r.unit),
      b ? `${(a / b).toFixed(2)}×` : '—',
      `±${((spread(r.a) * 100) / 2).toFixed(0)}%`,
      `±${((spread(r.b) * 100) / 2).toFixed(0)}%`,
    ];
  });
}

const AA_HEAD = ['scenario', 'A/A: tend vs tend', 'unit', 'tend A', "tend A'", "A/A'", 'IQR/2 A', "IQR/2 A'"];

function text(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function markdown(head: string[], body: string[][]): string {
  const esc = (c: string) => c.replaceAll('|', '\\|');
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

export function renderTable(rows: readonly Row[], style: 'text' | 'markdown'): string {
  return (style === 'text' ? text : markdown)(HEAD, tableCells(rows));
}

export function renderAa(rows: readonly AaRow[], style: 'text' | 'markdown'): string {
  return (style === 'text' ? text : markdown)(AA_HEAD, aaCells(rows));
}
