// An exec hook: the command run by /bin/sh -c with the alert in TEND_* variables, by the exec probes' runner
// (health/exec-probe.ts): its own process group, SIGKILLed whole at the timeout (and when the command exits,
// so a `notify &` it left behind does not linger), the first 4 KiB of its output kept. A few run at once
// (HOOK_CONCURRENCY); the others wait for a slot, and their timeout counts from the alert, the wait included.
// A command is not retried: it may have done half of what it does.
import type { ExecHook } from '../config/spec.js';
import { runExecProbe } from '../health/exec-probe.js';
import type { ExecSlots } from '../health/exec-slots.js';
import { failureText } from '../health/probe-types.js';
import type { AlertBody } from './payload.js';

export const HOOK_CONCURRENCY = 4;
const STDERR_LIMIT = 4096;

/** The variables a hook gets on top of the daemon's environment (docs/alerts.md lists them). */
export function hookEnv(body: AlertBody): Record<string, string> {
  const stderr = body.stderr.join('\n');
  return {
    TEND_EVENT: body.event,
    TEND_APP: body.app,
    TEND_NAMESPACE: body.namespace,
    TEND_INSTANCE_ID: String(body.instance_id),
    TEND_PROCESS_ID: String(body.process_id),
    TEND_REASON: body.reason,
    TEND_EXIT_CODE: body.exit_code === null ? '' : String(body.exit_code),
    TEND_SIGNAL: body.signal ?? '',
    TEND_AT: body.at,
    TEND_HOST: body.host,
    TEND_STDERR: stderr.length > STDERR_LIMIT ? stderr.slice(stderr.length - STDERR_LIMIT) : stderr,
    TEND_SUPPRESSED: String(body.suppressed),
    TEND_VERSION: body.tend_version,
  };
}

export interface HookRun {
  readonly ok: boolean;
  /** `exit code 0`, `exit code 3: <first line>`, `timeout after 10000 ms`. */
  readonly detail: string;
  /** What it printed (stdout and stderr, the first 4 KiB). */
  readonly output: string;
}

/** Runs one hook for one alert. Never rejects. */
export async function runHook(
  hook: ExecHook,
  body: AlertBody,
  cwd: string,
  slots: ExecSlots,
  signal: AbortSignal,
): Promise<HookRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  const result = await runExecProbe(
    { command: hook.command, working_dir: null, env: hookEnv(body) },
    { instance: body.instance_id, env, cwd },
    hook.timeout_ms,
    slots,
    signal,
  );
  const detail = result.ok ? 'exit code 0' : failureText(result);
  return { ok: result.ok, detail, output: result.output };
}
