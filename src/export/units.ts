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
 * What tend-runtime itself holds in the cgroup (RSS, MiB, rounded up): ~45 MB measured with its
 * interpreter-only flags, ~50 MB without them (fifth audit).
 */
export const RUNTIME_RSS_MIB = 48;
/** What a cluster primary holds beside it (~45 MB measured), where one runs (exec_mode: cluster). */
export const CLUSTER_PRIMARY_RSS_MIB = 48;

/**
 * The hard memory cap a target gets for an app whose instances restart at `max_memory_restart`: every
 * instance in the cgroup 20 % above the threshold (tend samples memory, an instance grows between samples),
 * plus tend-runtime's own memory and a cluster primary's where one runs, so tend-runtime's graceful restart
 * comes before the kernel's OOM kill. The cgroup holds the runtime and its primary too: at 1.2 × threshold
 * alone, an app restarting at 100M in a 120M cap was OOM-killed at ~75M (fifth audit).
 */
export function memoryCapMiB(perInstanceBytes: number, instances: number, primary: boolean): number {
  return (
    mebibytes(perInstanceBytes * instances * 1.2) + RUNTIME_RSS_MIB + (primary ? CLUSTER_PRIMARY_RSS_MIB : 0)
  );
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
