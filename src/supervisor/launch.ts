// What one instance is launched with: the command line and the environment. Pure, from the spec.
import type { AppSpec } from '../config/spec.js';
import { usesNotifyPipe } from '../health/readiness.js';
import type { ClusterLaunch } from './ports.js';

export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Set in cluster mode: the instance runs as a worker of the app's cluster primary. */
  cluster?: ClusterLaunch;
}

export interface InstanceIdentity {
  id: number;
  instance: number;
  /** TEND_HOME for the process (the tag a daemon's crash recovery finds its processes by); null: none. */
  home: string | null;
}

export function launchOf(spec: AppSpec, who: InstanceIdentity): Launch {
  const [command, ...args] = spec.interpreter
    ? [spec.interpreter, ...spec.interpreter_args, spec.script, ...spec.args]
    : [spec.script, ...spec.args];
  const launch: Launch = { command: command as string, args, env: environmentOf(spec, who) };
  // normalize.ts admits cluster mode for Node interpreters only, so the interpreter is set.
  if (spec.exec_mode === 'cluster' && spec.interpreter) {
    launch.cluster = {
      app: spec.name,
      interpreter: spec.interpreter,
      execArgv: [...spec.interpreter_args],
      script: spec.script,
      args: [...spec.args],
    };
  }
  return launch;
}

/** The app's environment plus what tend tells every instance about itself. */
export function environmentOf(spec: AppSpec, who: InstanceIdentity): Record<string, string> {
  const instance = String(who.instance);
  const { TEND_NOTIFY_FD: _inherited, ...env } = spec.env;
  // The notify pipe is fd 3 (runtime/spawner.ts); NOTIFY_FD is s6's name for the same thing.
  const notify: Record<string, string> = notifyPipe(spec) ? { TEND_NOTIFY_FD: '3', NOTIFY_FD: '3' } : {};
  // systemd's name for the watchdog interval: tend/notify's startWatchdog() pings at half of it.
  if (spec.watchdog_ms > 0) notify.WATCHDOG_USEC = String(spec.watchdog_ms * 1000);
  // PM2's increment_var: instance n gets the app's value plus n (checked to be an integer: app-checks.ts).
  // An --update-env may have changed it since: a value that is no integer is left as it is.
  const base = spec.increment_var ? Number(env[spec.increment_var] ?? Number.NaN) : Number.NaN;
  const incremented =
    spec.increment_var && Number.isSafeInteger(base)
      ? { [spec.increment_var]: String(base + who.instance) }
      : {};
  return {
    ...env,
    ...notify,
    ...incremented,
    // PM2's instance_var names the variable (NODE_APP_INSTANCE by default).
    [spec.instance_var]: instance,
    TEND_INSTANCE: instance,
    TEND_ID: String(who.id),
    TEND_APP_NAME: spec.name,
    TEND_NAMESPACE: spec.namespace,
    ...(who.home !== null ? { TEND_HOME: who.home } : {}),
    // PM2 compatibility: apps that read pm_id keep working.
    pm_id: String(who.id),
  };
}

/**
 * A fork-mode process gets the notify pipe when it may use it: wait_ready or watchdog_sec. Cluster workers are
 * forked by their primary and use IPC instead (`process.send('ready')`, `process.send('watchdog')`; the
 * tend/notify helper does this for them).
 */
export function notifyPipe(spec: AppSpec): boolean {
  return usesNotifyPipe(spec) && spec.exec_mode !== 'cluster';
}

/**
 * A fork-mode Node app gets an IPC channel only when tend needs one: `wait_ready` (process.send('ready')),
 * `shutdown_with_message` or `metrics` (tend/metrics answers over it). The channel costs the app ~0.7 MiB of
 * RSS, and an app that does not ask for it should run exactly as it would by hand (cluster workers always
 * have theirs, from the cluster module).
 */
export function needsIpc(spec: AppSpec): boolean {
  return spec.is_node && (spec.wait_ready || spec.shutdown_with_message || spec.metrics);
}
