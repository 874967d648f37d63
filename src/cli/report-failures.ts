// After start, restart or reload: the processes the command left not running say why, and an `errored`
// one makes the command fail: an error line with its code (the reason is its last_error, e.g. "cannot open
// log file …: permission denied") and a non-zero exit. A command that leaves an app errored has not done
// what was asked, even though the daemon carried it out without an error of its own.
import { TendError } from '../protocol/errors.js';
import type { ProcessInfo } from '../protocol/process-info.js';
import { warn } from './session.js';

/** Causes of a failed start: the process never became ready (health/readiness.ts). */
const NOT_READY = new Set(['ready_timeout', 'startup_probe']);

export function reportFailures(processes: readonly ProcessInfo[]): void {
  for (const p of processes) {
    if (p.status === 'online') continue;
    if (p.status === 'launching') {
      // No ready deadline and a failing readiness probe (the command settled on it, supervisor.ts): said,
      // not an error; it becomes ready when its probe passes. Only once the probe has failed its threshold
      // (health unhealthy): before that (--no-wait, a second start while the first waits) it is starting,
      // as `tend ls` shows (ninth audit: "its readiness probe fails" of a probe that had not failed).
      if (p.reason === 'waiting for readiness' && p.health === 'unhealthy')
        warn(
          `${p.name} [${p.id}] is not ready yet: its readiness probe fails; it stays launching, waiting for readiness, until the probe passes (listen_timeout sets a deadline; see "tend describe ${p.id}")`,
          'TEND_ERR_NOT_READY',
        );
      continue;
    }
    // Another command on the app (stop, delete, restart) took the instance over before this one's wait
    // ended (App.enqueue): no failure of this command's, and a last exit would be an earlier run's (ninth
    // audit: "is stopping: stopping", "exited with SIGINT" of the process before).
    if ((p.status === 'stopping' || p.status === 'stopped') && !p.completed) {
      const then =
        p.wanted === 'down' ? `${p.status === 'stopped' ? 'stopped' : 'is stopping'} it` : 'is restarting it';
      warn(
        `${p.name} [${p.id}]: another command on the app (tend stop, restart or delete) took it over, and ${then}`,
        'TEND_ERR_NOTICE',
      );
      continue;
    }
    // Waiting: for what (`waiting for nr (healthy), 3s`), not the word again.
    const why =
      (p.status === 'waiting' ? p.reason : null) ??
      p.last_error ??
      (p.last_exit ? `exited with ${p.last_exit.signal ?? `code ${p.last_exit.code}`}` : p.status);
    if (p.status === 'errored') {
      fail(new TendError('TEND_ERR_APP_ERRORED', { name: p.name, id: p.id, reason: why }));
    } else if (p.status === 'blocked') {
      // A dependency failed or timed out: the app was not started (its reason says which).
      fail(new TendError('TEND_ERR_BLOCKED', { name: p.name, id: p.id, reason: p.reason ?? why }));
    } else if (p.reason !== null && NOT_READY.has(p.reason)) {
      // A failed start: the policy restarts it, but the command did not get what it asked for.
      fail(new TendError('TEND_ERR_NOT_READY', { name: p.name, id: p.id, reason: why }));
    } else
      warn(
        `${p.name} [${p.id}] is ${p.status}: ${why} (see "tend describe ${p.id}")`,
        'TEND_ERR_NOT_RUNNING',
      );
  }
}

function fail(err: TendError): void {
  process.stderr.write(`error: ${err.message} (${err.code})\n`);
  process.exitCode = err.exitCode;
}
