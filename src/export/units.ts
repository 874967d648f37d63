// Small conversions shared by the renderers: durations, sizes and names in each target's own spelling.

/** ms → `90s` / `1500ms` (systemd and compose both read these). */
export function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** ms → whole seconds, rounded up, at least `min` (Kubernetes' *Seconds fields are integers). */
export function seconds(ms: number, min = 0): number {
  return Math.max(min, Math.ceil(ms / 1000));
}

const MIB = 1024 * 1024;

/** Bytes → whole MiB, rounded up. */
export function mebibytes(bytes: number): number {
  return Math.ceil(bytes / MIB);
}

/**
 * The hard memory cap a target gets for an app whose instances restart at `max_memory_restart`: 20 % above
 * the threshold, so tend-runtime's graceful restart comes before the kernel's OOM kill.
 */
export function memoryCapMiB(perInstanceBytes: number, instances: number): number {
  return mebibytes(perInstanceBytes * instances * 1.2);
}

/**
 * A name the target accepts, made from an app name (tend allows more characters than most targets): the
 * characters outside `allowed` become `-`. Returns the name and whether it changed (the caller warns).
 */
export function targetName(
  name: string,
  allowed: RegExp,
  opts: { lower?: boolean; max?: number } = {},
): { name: string; changed: boolean } {
  let out = opts.lower ? name.toLowerCase() : name;
  out = [...out].map((c) => (allowed.test(c) ? c : '-')).join('');
  if (opts.lower) out = out.replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '');
  if (opts.max) out = out.slice(0, opts.max).replace(/-+$/, '');
  if (out === '') out = 'app';
  return { name: out, changed: out !== name };
}
