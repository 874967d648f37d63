// `tend sendSignal`: one signal to each matching instance's own process (not its group, as PM2 does). What
// follows is the process's business: if it exits, the unit sees an ordinary exit and its policy applies.
import { TendError } from '../../protocol/errors.js';
import { parseSignal } from '../../runtime/signals.js';
import type { Handler } from './types.js';

export const handleSignal: Handler<'process.signal'> = async ({ target, signal }, { supervisor, log }) => {
  const sig = parseSignal(signal);
  if (sig === null) throw new TendError('TEND_ERR_INVALID_SIGNAL', { signal });
  const units = supervisor.resolve(target);
  const processes = [];
  const skipped = [];
  for (const u of units) {
    const pid = u.pid;
    if (pid === null || !signalPid(pid, sig)) {
      skipped.push({ id: u.id, name: u.name, status: u.status });
      continue;
    }
    log(`${u.name} [${u.id}] pid ${pid}: sent ${sig} (sendSignal)`);
    processes.push({ id: u.id, name: u.name, pid });
  }
  if (processes.length === 0) {
    const detail = skipped.map((s) => `${s.name} [${s.id}] is ${s.status}`).join(', ');
    throw new TendError('TEND_ERR_NOT_RUNNING', { what: `${sig} not sent`, detail, skipped });
  }
  return { signal: sig, processes, skipped };
};

/** False when the process is already gone (ESRCH). */
function signalPid(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}
