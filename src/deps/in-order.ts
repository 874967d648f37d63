// Running an operation over apps in dependency order without levels as barriers: each app's operation starts
// as soon as the operations it must follow are done (stop: its dependents are stopped; a restart cascade: the
// dependencies it restarts after are back). Independent branches run side by side, and one slow app holds up
// only what really depends on it. A failed operation does not hold the others back; the first error is
// rethrown once everything ran.
export async function runInOrder(
  names: readonly string[],
  /** The names (among `names`; others are ignored) whose operation must be done before this one's. */
  after: (name: string) => readonly string[],
  run: (name: string) => Promise<void>,
): Promise<void> {
  const set = new Set(names);
  const runs = new Map<string, Promise<void>>();
  const runOf = (name: string, path: ReadonlySet<string>): Promise<void> => {
    const known = runs.get(name);
    if (known) return known;
    // A cycle cannot come from a DependencyGraph; if one does, its members simply do not wait on each other.
    const before = after(name).filter((n) => set.has(n) && n !== name && !path.has(n));
    const inner = new Set(path).add(name);
    const p = Promise.allSettled(before.map((n) => runOf(n, inner))).then(() => run(name));
    runs.set(name, p);
    return p;
  };
  const results = await Promise.allSettled(names.map((n) => runOf(n, new Set())));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
