// GET /metrics/apps: every instance of an app with `metrics: true` is asked for its own registry over its IPC
// channel (`tend:metrics`, answered by the tend/metrics helper with prom-client's getMetricsAsJSON()), all at
// once, each with a timeout. Every sample gets the labels app, namespace and instance_id (overwriting the
// app's own labels of those names), and the families of every instance are merged by name, so a cluster's
// workers are one family with a series per worker, not a random worker per scrape. What an app sends is
// untrusted: names, types and labels are checked, and an answer that is not a registry is dropped whole.
import type { Supervisor } from '../supervisor/supervisor.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import { FAMILY_TYPES, type Family, type FamilyType, type Sample } from './family.js';
import { promClient } from './prom-client.js';

/** Prometheus's label names (its data model); prom-client exports the metric-name check only. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Samples accepted from one instance: a bound on what one answer costs the daemon. */
export const MAX_SAMPLES = 50_000;

export interface AppScrape {
  families: Family[];
  /** The app of each instance that was asked and did not answer with a registry (timeout, error, garbage). */
  failed: string[];
}

export async function scrapeApps(supervisor: Supervisor, timeoutMs: number): Promise<AppScrape> {
  // Online instances only: a launching one may not have called serve() yet, a stopping one is going away.
  // Node apps only: the others have no IPC channel (normalize.ts notes it).
  const asked = supervisor
    .instances()
    .filter((u) => u.spec.metrics && u.spec.is_node && u.status === 'online' && u.pid !== null);
  const answers = await Promise.all(asked.map((u) => ask(u, timeoutMs)));
  const failed: string[] = [];
  const byName = new Map<string, Family>();
  for (const [i, families] of answers.entries()) {
    const unit = asked[i] as ProcessUnit;
    if (families === null) {
      failed.push(unit.name);
      continue;
    }
    for (const family of families) {
      const known = byName.get(family.name);
      if (known === undefined) byName.set(family.name, family);
      // Two apps (or two versions of one) disagree on a family's type: the first seen is kept.
      else if (known.type === family.type) known.values.push(...family.values);
    }
  }
  return { families: [...byName.values()], failed };
}

/** One instance's families, relabelled; null when it gave none. */
async function ask(unit: ProcessUnit, timeoutMs: number): Promise<Family[] | null> {
  const answer = await unit.ask('tend:metrics', timeoutMs);
  if (!answer.ok) return null;
  const own = {
    app: unit.spec.name,
    namespace: unit.spec.namespace,
    instance_id: String(unit.instance),
  };
  return relabel(answer.reply.metrics, own);
}

/** A registry's JSON with `own` labels on every sample, checked; null when it is not one. */
export function relabel(metrics: unknown, own: Record<string, string>): Family[] | null {
  if (!Array.isArray(metrics)) return null;
  const families: Family[] = [];
  let samples = 0;
  for (const m of metrics) {
    if (typeof m !== 'object' || m === null) return null;
    const { name, help, type, values } = m as Record<string, unknown>;
    if (typeof name !== 'string' || !promClient().validateMetricName(name)) return null;
    if (typeof type !== 'string' || !FAMILY_TYPES.has(type) || !Array.isArray(values)) return null;
    samples += values.length;
    if (samples > MAX_SAMPLES) return null;
    const checked: Sample[] = [];
    for (const v of values) {
      const sample = checkSample(v, name, own);
      if (sample === null) return null;
      checked.push(sample);
    }
    families.push({
      name,
      help: typeof help === 'string' ? help : '',
      type: type as FamilyType,
      values: checked,
    });
  }
  return families;
}

/** The scrape target's labels in Prometheus (see checkSample). */
const TARGET_LABELS = new Set(['instance', 'job']);

function checkSample(v: unknown, family: string, own: Record<string, string>): Sample | null {
  if (typeof v !== 'object' || v === null) return null;
  const { value, labels, metricName } = v as Record<string, unknown>;
  if (typeof value !== 'number') return null;
  const out: Record<string, string> = { ...own };
  if (labels !== undefined) {
    if (typeof labels !== 'object' || labels === null) return null;
    for (const [key, raw] of Object.entries(labels)) {
      if (!LABEL_NAME.test(key) || key.startsWith('__')) return null;
      if (key in own) continue; // tend's labels win: they say where the sample comes from
      // `instance` and `job` are the labels Prometheus gives the scrape target: an app's own would collide
      // with them (the PM2 exporter's fault). Renamed as Prometheus itself renames a clash (honor_labels off).
      out[TARGET_LABELS.has(key) ? `exported_${key}` : key] = String(raw);
    }
  }
  const sample: Sample = { value, labels: out };
  if (metricName !== undefined) {
    // A histogram's or a summary's `<family>_bucket`, `_sum`, `_count`: never another family's name.
    if (
      typeof metricName !== 'string' ||
      !metricName.startsWith(family) ||
      !promClient().validateMetricName(metricName)
    )
      return null;
    sample.metricName = metricName;
  }
  return sample;
}
