import { TendError } from '../../protocol/errors.js';
import { applyFileConfig } from '../apply-file.js';
import { applyUpdateEnv } from '../update-env.js';
import type { Handler } from './types.js';

export const handleReload: Handler<'process.reload'> = async ({ target, update_env, file }, ctx) => {
  const { supervisor } = ctx;
  const units = supervisor.resolve(target);
  const notes = applyFileConfig(units, file, ctx);
  applyUpdateEnv(units, update_env, ctx);
  // Then the dependents with `restart: true`, once these are ready again (src/deps).
  const report = await ctx.deps.reload(units);
  if (report.failed) {
    const { failed, reloaded, skipped } = report;
    const ids = (list: number[]) => list.join(', ');
    const detail =
      `${failed.name} [${failed.id}]: ${failed.reason}${failed.kept ? '; its old process keeps serving' : ''}` +
      (reloaded.length > 0 ? `; reloaded: ${ids(reloaded)}` : '') +
      (skipped.length > 0 ? `; not reloaded: ${ids(skipped)}` : '');
    throw new TendError('TEND_ERR_RELOAD_FAILED', { detail, failed, reloaded, skipped });
  }
  const ids = new Set(units.map((u) => u.id));
  return {
    processes: supervisor.list().filter((p) => ids.has(p.id)),
    ...(notes.length > 0 ? { notes } : {}),
  };
};
