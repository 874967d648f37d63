// One metric family as prom-client's registries describe it (`registry.getMetricsAsJSON()`): the shape the
// daemon builds its own metrics in, the apps send theirs in, and exposition.ts renders with prom-client.
// prom-client's typings say `type` is a numeric enum; at run time it is one of these strings.

export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface Sample {
  value: number;
  labels: Record<string, string>;
  /** The sample's own name when it is not the family's (`_bucket`, `_sum`, `_count` of histograms). */
  metricName?: string;
}

export interface Family {
  name: string;
  help: string;
  type: FamilyType;
  values: Sample[];
  /** prom-client's: how AggregatorRegistry.aggregate combines equal label sets (always distinct here). */
  aggregator?: string;
}

export const FAMILY_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary']);
