// How deeply a request or an ecosystem file nests its values. tend's own walkers over them (plain copies,
// masking for messages, zod, JSON.stringify) are recursive: a value nested 100 000 deep (`env: { A: [[[…]]]
// }`, 200 KB of brackets) overflowed the stack in them, a TEND_ERR_INTERNAL with a stack trace in
// daemon.log for every such request (tenth audit). Refused where it enters, said where it is too deep.

/** The deepest nesting tend takes: an ecosystem file's deepest is a handful of levels. */
export const MAX_DEPTH = 64;

interface Step {
  value: unknown;
  depth: number;
  parent: Step | null;
  key: string | number;
}

/**
 * Where `value` nests deeper than MAX_DEPTH levels (a path such as `apps[0].env.A[0][0]…`, cut short), or
 * null. Iterative, linear in the value's size; an object met twice (a cycle in a JavaScript file) is walked
 * once.
 */
export function tooDeep(value: unknown): string | null {
  const seen = new Set<object>();
  const stack: Step[] = [{ value, depth: 0, parent: null, key: '' }];
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    const v = step.value;
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    if (step.depth >= MAX_DEPTH) return pathOf(step);
    seen.add(v);
    const depth = step.depth + 1;
    // Only what nests is pushed: a 4 MiB array of numbers is one step, not two million (its verification:
    // +160 MB for one frame).
    const nests = (x: unknown) => typeof x === 'object' && x !== null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++)
        if (nests(v[i])) stack.push({ value: v[i], depth, parent: step, key: i });
    } else
      for (const [key, item] of Object.entries(v))
        if (nests(item)) stack.push({ value: item, depth, parent: step, key });
  }
  return null;
}

/** Where `value` nests too deep, said as every entry point says it (`apps[0].env.A[0]…: nested more …`), or null. */
export function nestingProblem(value: unknown): string | null {
  const deep = tooDeep(value);
  return deep === null ? null : `${deep}: nested more than ${MAX_DEPTH} levels deep`;
}

/** `apps[0].env.A[0]…`, its first 120 characters. */
function pathOf(step: Step): string {
  const keys: (string | number)[] = [];
  for (let s: Step | null = step; s?.parent; s = s.parent) keys.unshift(s.key);
  const path = keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
  return path.length > 120 ? `${path.slice(0, 117)}...` : path || 'the value';
}
