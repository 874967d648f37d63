// The real probe runner: one function per handler (http-probe.ts, tcp-probe.ts, exec-probe.ts) behind the
// RunProbe signature the engine (probes.ts) takes. Exec probes share one global set of slots.
import type { ProbeHandler } from '../config/spec.js';
import { runExecProbe } from './exec-probe.js';
import { ExecSlots, execConcurrencyFromEnv } from './exec-slots.js';
import { runHttpProbe } from './http-probe.js';
import type { ProbeResult, ProbeTarget, RunProbe } from './probe-types.js';
import { runTcpProbe } from './tcp-probe.js';

export interface ProbeRunnerOptions {
  /** The exec slots to share; default: the daemon's global slots (TEND_PROBE_CONCURRENCY, else 8). */
  execSlots?: ExecSlots;
}

let globalSlots: ExecSlots | undefined;

/** The daemon-wide exec slots, sized from the environment on first use. */
export function globalExecSlots(): ExecSlots {
  globalSlots ??= new ExecSlots(execConcurrencyFromEnv());
  return globalSlots;
}

/** A runner with its own exec slots (tests), or the global ones. */
export function createProbeRunner(opts: ProbeRunnerOptions = {}): RunProbe {
  return (handler, target, timeoutMs, signal) =>
    run(handler, target, timeoutMs, opts.execSlots ?? globalExecSlots(), signal);
}

/** The runner the daemon uses. */
export const runProbe: RunProbe = createProbeRunner();

function run(
  handler: ProbeHandler,
  target: ProbeTarget,
  timeoutMs: number,
  slots: ExecSlots,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  if ('http_get' in handler) return runHttpProbe(handler.http_get, target, timeoutMs, signal);
  if ('tcp_socket' in handler) return runTcpProbe(handler.tcp_socket, target, timeoutMs, signal);
  return runExecProbe(handler.exec, target, timeoutMs, slots, signal);
}
