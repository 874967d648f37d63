// "Did you mean" for unknown fields: a typo such as `max_restart` should point at `max_restarts`
// instead of silently doing nothing.

/** The candidate closest to `word` by edit distance, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestDistance = limit + 1;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase(), limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Levenshtein distance, with camelCase/kebab-case folded so `maxRestarts` finds `max_restarts`; `max + 1` for
 * anything farther than `max`. Only the band of cells within `max` of the diagonal is computed: O(length ×
 * max), not length² (tenth audit: an unknown key of 50 000 characters took the daemon 5 s, a 20 000-character
 * dependency name against an app's name 44 s).
 */
function editDistance(a: string, b: string, max: number): number {
  const x = fold(a);
  const y = fold(b);
  if (x === y) return a === b ? 0 : 1;
  const far = max + 1;
  if (Math.abs(x.length - y.length) > max) return far;
  let previous = new Map<number, number>();
  for (let j = 0; j <= Math.min(y.length, max); j++) previous.set(j, j);
  for (let i = 1; i <= x.length; i++) {
    const current = new Map<number, number>();
    let rowMin = far;
    const from = Math.max(0, i - max);
    for (let j = from; j <= Math.min(y.length, i + max); j++) {
      const d =
        j === 0
          ? i
          : Math.min(
              (previous.get(j) ?? far) + 1,
              (current.get(j - 1) ?? far) + 1,
              (previous.get(j - 1) ?? far) + (x[i - 1] === y[j - 1] ? 0 : 1),
            );
      current.set(j, Math.min(d, far));
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return far;
    previous = current;
  }
  return Math.min(previous.get(y.length) ?? far, far);
}

function fold(s: string): string {
  return s.replace(/[-_]/g, '');
}
