// `process.reset` (PM2's `reset`): the counters of the matching instances start again from zero. Nothing
// else changes: the processes keep running, their history stays for `describe`; state.json is rewritten.
import type { Handler } from './types.js';

export const handleReset: Handler<'process.reset'> = async ({ target }, { supervisor, persistence }) => {
  const units = supervisor.resolve(target);
  for (const u of units) u.resetCounters();
  // state.json carries the restart counts (a recovered instance keeps them): saved before the reply.
  if (units.length > 0) await persistence.changed();
  const ids = new Set(units.map((u) => u.id));
  return { processes: supervisor.list().filter((p) => ids.has(p.id)) };
};
