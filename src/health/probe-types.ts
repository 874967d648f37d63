// What one probe run yields and the runner's signature: shared by the real runners (probe-runner.ts) and the
// engine that schedules them (probes.ts), which unit tests drive with a fake runner.
import type { ProbeHandler } from '../config/spec.js';

/** The outcome of one probe run. A runner never throws: every failure is a result with ok false. */
export interface ProbeResult {
  readonly ok: boolean;
  /** When the run was asked for (epoch ms). */
  readonly at: number;
  /** From the ask to the verdict, a wait for an exec slot included (ms). */
  readonly duration_ms: number;
  /** exec: the exit code; null when killed (timeout, abort), not started, or for http/tcp. */
  readonly exit_code: number | null;
  /** exec: the first 4 KiB of stdout and stderr, as they came; http: `HTTP 503`; tcp: `connected` or the error. */
  readonly output: string;
  /** Why the check could not be made (refused, timeout, spawn error…); null when it ran to a verdict. */
  readonly error: string | null;
}

/** Whom a probe runs for: one instance of an app. */
export interface ProbeTarget {
  /** The instance number (0-based): `'$PORT+instance'` adds it. */
  readonly instance: number;
  /** The app's environment (PORT for `$PORT`; exec probes run with it, plus their own env). */
  readonly env: Readonly<Record<string, string>>;
  /** The app's working directory: exec probes run there unless they name their own. */
  readonly cwd: string;
}

/** Runs one probe; resolves (never rejects) once it has a verdict, the timeout passed, or signal aborted. */
export type RunProbe = (
  handler: ProbeHandler,
  target: ProbeTarget,
  timeoutMs: number,
  signal?: AbortSignal,
) => Promise<ProbeResult>;

/** How much of an exec probe's output is kept (bytes). */
export const PROBE_OUTPUT_LIMIT = 4096;

/** A short reason for a failed run, for events and messages: `HTTP 503`, `exit code 1: <first line>`. */
export function failureText(result: ProbeResult): string {
  if (result.error !== null) return result.error;
  if (result.exit_code !== null) {
    const first = result.output.split('\n').find((line) => line.trim() !== '');
    return first === undefined
      ? `exit code ${result.exit_code}`
      : `exit code ${result.exit_code}: ${clip(first.trim(), 200)}`;
  }
  return result.output !== '' ? result.output : 'failed';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
