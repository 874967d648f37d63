// After start, restart or reload: the processes the command left not running say why, and an `errored`
// one makes the command fail (exit 1). A command that leaves an app errored has not done what was asked,
// even though the daemon carried it out without an error of its own.
import type { ProcessInfo } from '../protocol/process-info.js';
import { warn } from './session.js';

export function reportFailures(processes: readonly ProcessInfo[]): void {
  for (const p of processes) {
    if (p.status === 'online' || p.status === 'launching') continue;
    const why =
      p.last_error ??
      (p.last_exit ? `exited with ${p.last_exit.signal ?? `code ${p.last_exit.code}`}` : p.status);
    warn(`${p.name} [${p.id}] is ${p.status}: ${why} (see "tend describe ${p.id}")`);
    if (p.status === 'errored') process.exitCode = 1;
  }
}
