// An inline SVG sparkline (a <polyline>, no library): the last 15 minutes of a series, scaled to its own
// maximum (or a floor, so an idle app draws a flat line at the bottom instead of amplified noise).
const NS = 'http://www.w3.org/2000/svg';
const W = 80;
const H = 20;

export function sparkline(label: string): SVGSVGElement {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('width', String(W));
  svg.setAttribute('height', String(H));
  svg.setAttribute('class', 'spark');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const line = document.createElementNS(NS, 'polyline');
  svg.append(line);
  return svg;
}

/** Redraws `svg` with `values` (oldest first); `floor`: the smallest top of the scale. */
export function drawSparkline(svg: SVGSVGElement, values: readonly number[], floor: number): void {
  const line = svg.firstChild as SVGPolylineElement;
  if (values.length === 0) {
    if (line.getAttribute('points') !== '') line.setAttribute('points', '');
    return;
  }
  // One point so far (samples come every 10 s): a flat line at its level.
  const series = values.length === 1 ? [values[0]!, values[0]!] : values;
  const n = series.length;
  let max = floor;
  for (const v of series) if (v > max) max = v;
  const step = W / (n - 1);
  let points = '';
  for (let i = 0; i < n; i++) {
    const y = H - 1 - (series[i]! / max) * (H - 2);
    points += `${(i * step).toFixed(1)},${y.toFixed(1)} `;
  }
  line.setAttribute('points', points.trimEnd());
}

/** Element-wise sum of several series aligned on their newest sample (an app's instances together). */
export function sumSeries(series: readonly (readonly number[])[]): number[] {
  const len = Math.max(0, ...series.map((s) => s.length));
  const out = new Array<number>(len).fill(0);
  for (const s of series) {
    const offset = len - s.length;
    for (let i = 0; i < s.length; i++) out[offset + i]! += s[i]!;
  }
  return out;
}
