// tend's own families, written straight to the exposition text: the bytes prom-client's Registry.metrics()
// would give for the same families (test/unit/metrics/text-format.test.ts compares them byte for byte, in
// both formats), without its per-sample label objects, arrays and joins. With 200 instances (~9,000 series)
// that garbage made a scrape of the daemon, which runs without an optimising JIT (--lite-mode), cost ~130 ms;
// docs/metrics.md ("Why tend formats its own families") has the figures. prom-client still renders the
// daemon's process_* and nodejs_* and the apps' own metrics (exposition.ts); appendExposition() joins the two.
//
// A sample's labels are given as their rendered text (`app="api",namespace="web"`), built once per app or
// instance with labelPair() and extended by constant pairs, so the label text of an app is escaped once.
import type { FamilyType } from './family.js';

/** prom-client's escaping of a HELP text (and a name): backslash and newline. */
export function escapeHelp(s: string): string {
  return /[\\\n]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : s;
}

/** A label value: backslash, newline and double quote escaped (both formats). */
export function escapeLabelValue(s: string): string {
  return /[\\\n"]/.test(s) ? escapeHelp(s).replace(/"/g, '\\"') : s;
}

/** `name="value"`, escaped; join several with commas. `name` must be a valid label name (tend's are). */
export function labelPair(name: string, value: string): string {
  return `${name}="${escapeLabelValue(value)}"`;
}

/** A sample value as prom-client writes it: `Nan`, `+Inf`, `-Inf` (parsers read them case-insensitively). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return `${value}`;
}

/** Pieces of sample lines joined into one flat string at a time (see TextFamily): 256 lines. */
const CHUNK_PIECES = 256 * 5;

/**
 * One family: its samples are turned into text as they are added. A line is kept as its pieces (the family's
 * `name{`, the labels, a constant pair, `} `, the value), not concatenated: every concatenation is an object
 * for the young generation, and the daemon's is small (--lite-mode); the pieces are joined into one flat
 * string every CHUNK_PIECES. Tens of thousands of short strings kept alive until the end of a scrape were
 * copied by every young-generation GC of the scrape (a third of its time, measured).
 */
export class TextFamily {
  /** Flat chunks of sample lines, each line preceded by a newline. */
  private readonly chunks: string[] = [];
  /** The pieces since the last chunk: a fixed array written by index (an array grown and emptied again and
   * again was the scrape's largest garbage, measured with V8's sampling heap profiler). */
  private readonly pending: string[] = new Array<string>(CHUNK_PIECES).fill('');
  private count = 0;
  private readonly open: string;
  private readonly bare: string;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: FamilyType,
  ) {
    // The sample lines are the same in both formats only when a counter is named `_total` (OpenMetrics
    // names its samples `<family>_total`): every tend counter is, and this keeps it so.
    if (type === 'counter' && !name.endsWith('_total'))
      throw new Error(`counter ${name} must be named *_total`);
    this.open = `\n${escapeHelp(name)}{`;
    this.bare = `\n${escapeHelp(name)}`;
  }

  /**
   * A sample. `labels` is rendered label text (labelPair()s joined by commas), '' for none; `pair` one more
   * rendered pair with its leading comma (`,status="online"`, from a table built once), appended to it
   * (so never without `labels`).
   */
  add(labels: string, value: number, pair = ''): void {
    const { pending } = this;
    let i = this.count;
    if (i > CHUNK_PIECES - 5) {
      this.chunks.push(pending.join(''));
      pending.fill('');
      i = 0;
    }
    if (labels === '' && pair === '') {
      pending[i++] = this.bare;
      pending[i++] = ' ';
    } else {
      pending[i++] = this.open;
      pending[i++] = labels;
      pending[i++] = pair;
      pending[i++] = '} ';
    }
    pending[i++] = formatValue(value);
    this.count = i;
  }

  /** Appends the family's text (HELP, TYPE, samples; no final newline, as prom-client writes one) to `out`. */
  write(out: string[], openMetrics: boolean): void {
    const name = escapeHelp(openMetrics && this.type === 'counter' ? this.name.slice(0, -6) : this.name);
    out.push(`# HELP ${name} ${escapeHelp(this.help)}\n# TYPE ${name} ${this.type}`, ...this.chunks);
    if (this.count > 0) out.push(this.pending.slice(0, this.count).join(''));
  }
}

/**
 * The exposition of `families`, followed by `rest`: another exposition of the same format (prom-client's,
 * ending with `\n`, and `# EOF\n` in OpenMetrics) or '' — one document, as if a single registry held all.
 * One join: the answer is one flat string, copied once (sending a rope of a few hundred KiB flattens it
 * first, another copy of it).
 */
export function renderFamilies(families: readonly TextFamily[], openMetrics: boolean, rest = ''): string {
  if (families.length === 0) return rest !== '' ? rest : openMetrics ? '# EOF\n' : '';
  // prom-client's separators: a blank line between families in the text format, none in OpenMetrics.
  const sep = openMetrics ? '\n' : '\n\n';
  const out: string[] = [];
  for (const [i, f] of families.entries()) {
    if (i > 0) out.push(sep);
    f.write(out, openMetrics);
  }
  out.push(rest !== '' ? sep + rest : openMetrics ? '\n# EOF\n' : '\n');
  return out.join('');
}
