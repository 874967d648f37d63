// Small conversions shared by the renderers: durations, sizes and names in each target's own spelling.

/** ms → `90s` / `1500ms` (systemd and compose both read these). */
export function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** ms → whole seconds, rounded up, at least `min` (Kubernetes' *Seconds fields are integers). */
export function seconds(ms: number, min = 0): number {
  return Math.max(min, Math.ceil(ms / 1000));
}

// What each target's duration fields take at most (sixth audit: `kill_timeout: 1e18` wrote
// TimeoutStopSec=1000000000000005, `1e24` wrote `1e+21`, and --check failed "Failed to parse time value";
// compose and k8s got the same numbers). Past the limit, systemd gets `infinity` and compose and k8s the
// limit itself; the renderer warns (the callback `clamped` receives the value written).

/**
 * The most seconds systemd's parse_sec takes (USEC_INFINITY is 2^64 − 1 µs: `systemd-analyze timespan`
 * parses 18446744073708s and says "Numerical result out of range" at 18446744073709s, systemd 252).
 */
export const SYSTEMD_SECONDS_MAX = 18_446_744_073_708;
/**
 * The longest Go time.Duration (int64 nanoseconds, ~292 years) in whole seconds: compose parses its
 * durations into one, and the kubelet turns terminationGracePeriodSeconds into one (× time.Second), so a
 * longer one overflows.
 */
export const GO_DURATION_SECONDS_MAX = 9_223_372_036;
/** Kubernetes' int32 fields: a probe's timings and thresholds, minReadySeconds, replicas. */
export const K8S_INT32_MAX = 2_147_483_647;

/** Told the value written in place of one the target cannot take (the caller warns). */
export type Clamped = (written: string) => void;

/** ms → systemd whole seconds (rounded up, at least `min`), or `infinity` past what systemd parses. */
export function systemdSeconds(ms: number, min = 0, clamped?: Clamped): string {
  const s = seconds(ms, min);
  if (s <= SYSTEMD_SECONDS_MAX) return String(s);
  clamped?.('infinity');
  return 'infinity';
}

/** ms → a systemd time span (`90s` / `1500ms`), or `infinity` past what systemd parses. */
export function systemdDuration(ms: number, clamped?: Clamped): string {
  if (seconds(ms) > SYSTEMD_SECONDS_MAX) {
    clamped?.('infinity');
    return 'infinity';
  }
  return durationText(ms);
}

/** ms → a compose duration (`90s` / `1500ms`), at most the longest Go duration (in whole seconds). */
export function composeDuration(ms: number, clamped?: Clamped): string {
  if (seconds(ms) <= GO_DURATION_SECONDS_MAX) return durationText(ms);
  const text = `${GO_DURATION_SECONDS_MAX}s`;
  clamped?.(text);
  return text;
}

/** A whole number for a field that takes at most `max` (K8S_INT32_MAX, GO_DURATION_SECONDS_MAX). */
export function atMost(n: number, max: number, clamped?: Clamped): number {
  if (n <= max) return n;
  clamped?.(String(max));
  return max;
}

const MIB = 1024 * 1024;

/** Bytes → whole MiB, rounded up. */
export function mebibytes(bytes: number): number {
  return Math.ceil(bytes / MIB);
}

/**
 * What tend-runtime itself holds in the cgroup (RSS, MiB, rounded up): ~45 MB measured at rest with its
 * interpreter-only flags, ~50 MB without them (fifth audit), and up to 53.6 MB (VmHWM) while it serves
 * /metrics, /readyz and /livez (300 rounds, then 50 concurrent scrapes; prom-client loads at the first):
 * 48 was short of that peak (measured 2026-12-05).
 */
export const RUNTIME_RSS_MIB = 56;
/**
 * What one `tend-runtime probe` holds while it runs (MiB, rounded up): the compose healthcheck starts one in
 * the container's cgroup every interval, beside the runtime and the app (seventh audit: 41 MB max RSS
 * measured with /usr/bin/time, 0.04–0.07 s). Without room for it, a check running while the app neared its
 * max_memory_restart pushed the cgroup into the kernel's OOM kill before tend's graceful restart.
 */
export const PROBE_RSS_MIB = 48;
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
