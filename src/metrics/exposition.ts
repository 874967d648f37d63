// Families → the bytes of a scrape, by prom-client: the text format 0.0.4, or OpenMetrics 1.0 when the
// scraper's Accept asks for it. Every scrape renders through a fresh registry (one HELP/TYPE per family,
// escaping, `# EOF`): prom-client renames a registry's counters in place when it renders OpenMetrics
// (`x_total` loses its suffix for good), so a long-lived registry cannot serve both formats; and a fresh
// one holds exactly this scrape's series.
import type { Registry } from 'prom-client';
import type { Family } from './family.js';
import type { Exposition } from './index.js';
import { promClient } from './prom-client.js';

// prom-client's Registry.PROMETHEUS_CONTENT_TYPE and OPENMETRICS_CONTENT_TYPE, without loading it (prom-client.ts).
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * True when `accept` prefers OpenMetrics (1.0.0, or the 0.0.1 Prometheus still asks for) to the text format,
 * by q-value; ties go to OpenMetrics, which Prometheus lists first. Anything else gets the text format.
 */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  let openMetrics = 0;
  let text = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    let q = 1;
    let version: string | null = null;
    for (const param of params) {
      const [key, value = ''] = param.split('=').map((s) => s.trim());
      if (key === 'q') q = Number(value);
      else if (key === 'version') version = value.replace(/^"|"$/g, '');
    }
    if (!(q > 0)) continue;
    if (type === 'application/openmetrics-text' && (version === null || /^(1\.0\.0|0\.0\.1)$/.test(version)))
      openMetrics = Math.max(openMetrics, q);
    else if (type === 'text/plain') text = Math.max(text, q);
  }
  return openMetrics > 0 && openMetrics >= text;
}

/** Renders families (each name once) in the format asked for. */
export async function render(families: readonly Family[], openMetrics: boolean): Promise<Exposition> {
  const contentType = openMetrics ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
  if (families.length === 0) return { status: 200, contentType, body: openMetrics ? '# EOF\n' : '' };
  const registry = new (promClient().Registry)();
  // The typings bind a registry to the text format by default; prom-client's setContentType takes either.
  registry.setContentType(contentType as typeof TEXT_CONTENT_TYPE);
  for (const f of families) {
    // prom-client's renderer appends `_total` to OpenMetrics counter samples: the family is named without it.
    const family = {
      ...f,
      name: openMetrics && f.type === 'counter' ? f.name.replace(/_total$/, '') : f.name,
    };
    // A registry renders anything with a name, a type and get(): what AggregatorRegistry.aggregate registers
    // too, without its grouping of equal label sets (they are distinct here: instance_id tells them apart).
    registry.registerMetric({ ...family, get: () => family } as unknown as Parameters<
      Registry['registerMetric']
    >[0]);
  }
  return { status: 200, contentType, body: await registry.metrics() };
}
