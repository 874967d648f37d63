// One-line texts of the readiness and dependency settings, for `tend describe` (and any message that names a
// probe): `http_get 127.0.0.1:$PORT/readyz every 10s, timeout 1s, 1/3`. Pure, no zod: the CLI loads it.
import type { FieldDef } from './registry/index.js';
import type { DependencySpec, ProbeSpec } from './spec.js';

/** 10000 → `10s`, 1500 → `1.5s`, 250 → `250ms`, 0 → `0s`. */
export function secondsText(ms: number): string {
  return ms > 0 && ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}

/** `http_get 127.0.0.1:$PORT/readyz every 10s, timeout 1s, 1/3` (success/failure thresholds). */
export function probeText(p: ProbeSpec): string {
  const h = p.handler;
  let target: string;
  if ('http_get' in h) {
    const g = h.http_get;
    const scheme = g.scheme === 'https' ? 'https://' : '';
    const headers =
      Object.keys(g.headers).length > 0 ? ` (headers: ${Object.keys(g.headers).join(', ')})` : '';
    target = `http_get ${scheme}${g.host}:${g.port}${g.path}${headers}`;
  } else if ('tcp_socket' in h) target = `tcp_socket ${h.tcp_socket.host}:${h.tcp_socket.port}`;
  else {
    const cmd = h.exec.command;
    target = `exec ${typeof cmd === 'string' ? JSON.stringify(cmd) : JSON.stringify([...cmd])}`;
    if (h.exec.working_dir !== null) target += ` in ${h.exec.working_dir}`;
  }
  const delay = p.initial_delay_ms > 0 ? `after ${secondsText(p.initial_delay_ms)}, ` : '';
  return `${target} ${delay}every ${secondsText(p.period_ms)}, timeout ${secondsText(p.timeout_ms)}, ${p.success_threshold}/${p.failure_threshold}`;
}

/** `process_healthy, timeout 2m, restart, bind, optional` (defaults left out). */
export function dependencyText(d: DependencySpec): string {
  const parts: string[] = [d.condition];
  if (d.timeout_ms > 0) parts.push(`timeout ${secondsText(d.timeout_ms)}`);
  if (d.restart) parts.push('restart');
  if (d.bind) parts.push('bind');
  if (!d.required) parts.push('optional');
  return parts.join(', ');
}

/** A field of the 'readiness and health' group as `describe` shows it (null: not set). */
export function healthFieldText(f: FieldDef, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (f.kind === 'probe' || f.kind === 'readinessProbe') return probeText(value as ProbeSpec);
  if (f.kind === 'seconds' && typeof value === 'number')
    return value === 0 && f.defaultText?.includes('off') ? 'off' : secondsText(value);
  return String(value);
}
