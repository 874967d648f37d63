// Order statistics for small samples. Medians, not means: one slow run (a GC, a noisy neighbour) must not
// move the figure a reader compares.

export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

/** Interquartile range as a fraction of the median: how much the runs of one subject disagree. */
export function spread(samples: readonly number[]): number {
  const m = median(samples);
  if (samples.length < 2 || !Number.isFinite(m) || m === 0) return 0;
  return (quantile(samples, 0.75) - quantile(samples, 0.25)) / Math.abs(m);
}

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  /** (p75 - p25) / median */
  spread: number;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    median: median(samples),
    min: samples.length ? Math.min(...samples) : Number.NaN,
    max: samples.length ? Math.max(...samples) : Number.NaN,
    spread: spread(samples),
  };
}
