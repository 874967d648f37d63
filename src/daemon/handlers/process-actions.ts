// start / stop / restart / delete of existing processes: resolve the target, act, reply with the outcome.
import type { Supervisor } from '../../supervisor/supervisor.js';
import type { ProcessUnit } from '../../supervisor/unit.js';
import { applyFileConfig } from '../apply-file.js';
import { applyUpdateEnv } from '../update-env.js';
import { refusedInRuntime } from './runtime-refusal.js';
import type { Handler } from './types.js';

export const handleStart: Handler<'process.start'> = async ({ target, wait, update_env, no_deps }, ctx) => {
  const { supervisor } = ctx;
  const units = supervisor.resolve(target);
  // Only the processes this start launches take the new environment; running ones keep theirs.
  const down = (u: ProcessUnit) => u.wanted === 'down' || u.status === 'errored';
  applyUpdateEnv(units.filter(down), update_env, ctx);
  const running = update_env ? units.filter((u) => !down(u)) : [];
  const notes = running.map(
    (u) =>
      `${u.name} [${u.id}] is running: environment unchanged (use "tend restart ${u.id} --update-env") (TEND_ERR_CONFIG_IGNORED)`,
  );
  // In dependency order (src/deps): missing dependencies first, unless --no-deps.
  const started = await ctx.deps.start(units, { wait, deps: no_deps ? 'ignore' : 'start' });
  notes.push(...started.notes);
  return { processes: listOf(supervisor, started.units), ...(notes.length > 0 ? { notes } : {}) };
};

export const handleStop: Handler<'process.stop'> = async ({ target, wait, cascade }, ctx) => {
  const { supervisor } = ctx;
  const units = supervisor.resolve(target);
  // Dependents before what they need; bound dependents go down too (src/deps).
  // A stop of an app by name (not of instances by id) also stops the instances a scale queued before it adds
  // (supervisor.perApp): they are listed too.
  const whole = supervisor.wholeApps(target);
  const notes = await ctx.deps.stop(units, { wait, cascade, whole });
  const stopped = [...units, ...[...whole].flatMap((name) => supervisor.app(name)?.units() ?? [])];
  return { processes: listOf(supervisor, stopped), ...(notes.length > 0 ? { notes } : {}) };
};

export const handleRestart: Handler<'process.restart'> = async ({ target, wait, update_env, file }, ctx) => {
  const { supervisor } = ctx;
  const units = supervisor.resolve(target);
  const notes = applyFileConfig(units, file, ctx);
  applyUpdateEnv(units, update_env, ctx);
  // Then the dependents with `restart: true`, once these are ready again (src/deps).
  await ctx.deps.restart(units, wait);
  return { processes: listOf(supervisor, units), ...(notes.length > 0 ? { notes } : {}) };
};

export const handleDelete: Handler<'process.delete'> = async ({ target }, ctx) => {
  const { supervisor } = ctx;
  const units = supervisor.resolve(target);
  // tend-runtime: its apps are the orchestrator's (the pod spec, the unit), not a list to edit. Refused
  // before anything is stopped; `tend stop` does what can be done (seventh audit: deleting the only app
  // ended the runtime before the reply, and the CLI said "the daemon closed the connection").
  if (ctx.role === 'runtime')
    throw refusedInRuntime(
      'tend delete',
      `"tend stop ${target.join(' ')}" stops it (the runtime ends once its last app has stopped); remove the app from the image's ecosystem file to drop it`,
    );
  return { processes: await supervisor.delete(units, supervisor.wholeApps(target)) };
};

function listOf(supervisor: Supervisor, units: readonly ProcessUnit[]) {
  const ids = new Set(units.map((u) => u.id));
  return supervisor.list().filter((p) => ids.has(p.id));
}
