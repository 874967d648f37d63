// `tend env`: the environment the running processes really have, read from /proc (not the spec: the spec
// says what tend meant to give; /proc says what the process got).
import { TendError } from '../../protocol/errors.js';
import { looksSecret, MASK } from '../../protocol/secrets.js';
import { readEnviron } from '../../runtime/environ.js';
import type { Handler } from './types.js';

export const handleEnv: Handler<'process.env'> = async ({ target, show_secrets }, { supervisor }) => {
  const units = supervisor.resolve(target);
  const processes = [];
  const skipped = [];
  for (const u of units) {
    const pid = u.pid;
    const env = pid === null ? null : await readEnviron(pid);
    if (pid === null || env === null) {
      skipped.push({ id: u.id, name: u.name, status: u.status });
      continue;
    }
    const masked = show_secrets ? [] : Object.keys(env).filter((k) => looksSecret(k, env[k]));
    for (const key of masked) env[key] = MASK;
    processes.push({ id: u.id, name: u.name, pid, env, masked });
  }
  if (processes.length === 0) {
    const detail = skipped.map((s) => `${s.name} [${s.id}] is ${s.status}`).join(', ');
    throw new TendError('TEND_ERR_NOT_RUNNING', { what: 'no environment to show', detail, skipped });
  }
  return { processes, skipped };
};
