// READY=1 to systemd (Type=notify): the daemon's under `tend startup`'s unit (systemd-notify.ts) and
// tend-runtime's under an exported unit (container/run.ts). Node has no AF_UNIX datagram socket, so it goes
// through `systemd-notify` (a child in the service's cgroup: the units say NotifyAccess=all; systemd-notify
// waits on the barrier, so the message is not lost when it exits). Its own module: the runtime needs this and
// not the daemon's resurrect handler (the saved list's schemas and zod) that systemd-notify.ts imports.
import { spawn } from 'node:child_process';
import { findOnPath } from '../config/paths.js';

/**
 * systemd-notify on PATH, else where systemd installs it: an exported unit's PATH may be an app's own
 * (`env: { PATH: '/opt/x/bin' }`, which the runtime's environment is too), and a Type=notify unit whose
 * READY=1 never comes fails at TimeoutStartSec and restarts for ever (tenth audit).
 */
function notifyCommand(env: NodeJS.ProcessEnv): string {
  return (
    findOnPath('systemd-notify', `${env.PATH ?? ''}:/usr/bin:/bin:/usr/local/bin`, '/') ?? 'systemd-notify'
  );
}

/** Sends READY=1 on `socket`; resolves once systemd-notify has exited (or could not start), saying so in `log`. */
export function notifyReady(
  socket: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  /** systemd's STATUS= (`systemctl status` shows it). */
  status = 'tend daemon ready',
): Promise<void> {
  return systemdNotify(
    socket,
    env,
    log,
    ['--ready', `--pid=${process.pid}`, `--status=${status}`],
    'READY=1',
  );
}

/**
 * Tells systemd that the state it is in (starting, stopping) may take `ms` more than TimeoutStartSec= or
 * TimeoutStopSec= allow (EXTEND_TIMEOUT_USEC, systemd 236 and later; an older one ignores it). It only ever
 * extends: a budget within the unit's own timeout changes nothing.
 */
export function extendTimeout(
  socket: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  ms: number,
): Promise<void> {
  const usec = Math.min(Math.ceil(ms) * 1000, Number.MAX_SAFE_INTEGER);
  return systemdNotify(socket, env, log, [`EXTEND_TIMEOUT_USEC=${usec}`], `EXTEND_TIMEOUT_USEC=${usec}`);
}

function systemdNotify(
  socket: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  args: string[],
  what: string,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const child = spawn(notifyCommand(env), args, {
      stdio: 'ignore',
      env: { ...env, NOTIFY_SOCKET: socket },
    });
    child.on('error', (err) => {
      log(`systemd: systemd-notify: ${err.message}`);
      resolve();
    });
    child.on('exit', (code) => {
      log(`systemd: ${what} sent (systemd-notify exit ${code})`);
      resolve();
    });
  });
}
