// Reads a Prometheus text (or OpenMetrics) exposition back into samples, for assertions. Small on purpose:
// tend's output comes from prom-client, and `promtool check metrics` (helpers/promtool.ts) is the strict
// judge of the format; this only finds the samples a test looks at.

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedExposition {
  samples: ParsedSample[];
  /** `# TYPE` lines: family name → type, in order. */
  types: Map<string, string>;
  /** How many `# HELP` lines each family has (one, in a correct exposition). */
  helps: Map<string, number>;
}

export function parseExposition(body: string): ParsedExposition {
  const samples: ParsedSample[] = [];
  const types = new Map<string, string>();
  const helps = new Map<string, number>();
  for (const line of body.split('\n')) {
    if (line === '' || line === '# EOF') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      if (kind === 'TYPE') types.set(name, rest);
      else helps.set(name, (helps.get(name) ?? 0) + 1);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return { samples, types, helps };
}

/** The samples of one name whose labels include `match`. */
export function pick(
  parsed: ParsedExposition,
  name: string,
  match: Record<string, string> = {},
): ParsedSample[] {
  return parsed.samples.filter(
    (s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v),
  );
}

/** The value of the one sample of that name and labels (throws if there is not exactly one). */
export function sampleValue(
  parsed: ParsedExposition,
  name: string,
  match: Record<string, string> = {},
): number {
  const found = pick(parsed, name, match);
  if (found.length !== 1)
    throw new Error(`expected one ${name} ${JSON.stringify(match)}, found ${found.length}`);
  return (found[0] as ParsedSample).value;
}

/** A family read back from an exposition, in the shape prom-client renders (src/metrics/family.ts). */
export interface ParsedFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  values: { value: number; labels: Record<string, string>; metricName?: string }[];
}

/**
 * The families of an exposition, in order, with their HELP unescaped and their samples' label values
 * unescaped, so prom-client can render them again: what the byte-for-byte tests compare against. In
 * OpenMetrics a counter family `x` (samples `x_total`) is read back as prom-client's `x_total`.
 */
export function parseFamilies(body: string, openMetrics: boolean): ParsedFamily[] {
  const families: ParsedFamily[] = [];
  const unescaped = (s: string) => s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  let help = '';
  for (const line of body.split('\n')) {
    if (line === '' || line === '# EOF') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta?.[1] === 'HELP') {
      help = unescaped(meta[3] ?? '');
      continue;
    }
    if (meta) {
      const type = meta[3] as ParsedFamily['type'];
      const name = openMetrics && type === 'counter' ? `${meta[2]}_total` : (meta[2] as string);
      families.push({ name, help, type, values: [] });
      continue;
    }
    const family = families.at(-1);
    const [sample] = parseExposition(line).samples;
    if (family === undefined || sample === undefined) throw new Error(`sample before its family: ${line}`);
    const { name, labels, value } = sample;
    family.values.push(name === family.name ? { value, labels } : { value, labels, metricName: name });
  }
  return families;
}
