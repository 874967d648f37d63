// save, resurrect, update: the process list to and from dump.json, and the hand-over to a new daemon.

import type { AppSpec } from '../../config/spec.js';
import { dumpPath, writeDump } from '../../persist/dump.js';
import type { StateFile } from '../../persist/saved-apps.js';
import { restoreApps, withoutProcesses } from '../../persist/saved-apps.js';
import { FormatError, LIST_FORMAT, parseSavedList, readSavedList } from '../../persist/saved-list.js';
import { TendError } from '../../protocol/errors.js';
import type { DaemonContext } from '../context.js';
import { refusedInRuntime } from './runtime-refusal.js';
import type { Handler } from './types.js';

export const handleSave: Handler<'daemon.save'> = async (params, ctx) => {
  const file = dumpPath(ctx.paths.home);
  const list = ctx.persistence.snapshot();
  if (list.apps.length === 0 && !params.force) {
    // PM2's classic loss: a `save` after a reboot or a kill overwrites the saved list with nothing.
    const saved = await readSavedList(file, ctx.persistence.reference).catch(() => null);
    const apps = saved?.kind === 'ok' ? saved.list.apps.length : 0;
    if (apps > 0) throw new TendError('TEND_ERR_SAVE_EMPTY', { file, apps });
  }
  // A dump is for another boot: the processes of this one mean nothing there.
  const dump = withoutProcesses(list);
  await writeDump(file, `${JSON.stringify(dump, null, 1)}\n`);
  ctx.log(`saved ${dump.apps.length} app(s) to ${file}`);
  // Issue 17: a PM2 home keeps PM2's dump.pm2 too, each entry with tend's part (src/pm2/home/tend-part.ts).
  const pm2File = ctx.layout === 'pm2' ? await savePm2List(ctx, dump) : undefined;
  return {
    file,
    ...(pm2File ? { pm2_file: pm2File } : {}),
    apps: dump.apps.map((a) => ({
      name: a.spec.name,
      namespace: a.spec.namespace,
      ids: a.units.map((u) => u.id),
      up: a.units.filter((u) => u.wanted === 'up').length,
    })),
  };
};

export const handleResurrect: Handler<'daemon.resurrect'> = (params, ctx) =>
  // One at a time: a second resurrect must see the apps the first one added, and skip them.
  ctx.persistence.serial(async () => {
    const file = dumpPath(ctx.paths.home);
    let outcome: Awaited<ReturnType<typeof readSavedList>>;
    try {
      outcome = params.list
        ? givenList(params.list, ctx.persistence.reference)
        : await readSavedList(file, ctx.persistence.reference);
    } catch (err) {
      if (err instanceof FormatError)
        throw new TendError('TEND_ERR_DUMP_FORMAT', { file, detail: err.message });
      throw err;
    }
    if (outcome.kind === 'missing') throw new TendError('TEND_ERR_DUMP_NOT_FOUND', { file });
    if (outcome.kind === 'bad') {
      ctx.log(`resurrect: ${outcome.reasons.join('; ')}`);
      throw new TendError('TEND_ERR_DUMP_CORRUPT', { detail: outcome.reasons.join('; '), file });
    }
    for (const w of outcome.warnings) ctx.log(`resurrect: ${w}`);
    const restored = restoreApps(ctx.supervisor, outcome.list.apps);
    const notes = [...outcome.list.rejected, ...restored.notes];
    for (const n of notes) ctx.log(`resurrect: ${n}`);
    // In dependency order, among the restored apps and those already up (src/deps).
    const started = await ctx.deps.start(restored.toStart, { wait: true, deps: 'order' });
    notes.push(...started.notes);
    const ids = new Set([...restored.created, ...restored.toStart].map((u) => u.id));
    return {
      file: outcome.from,
      processes: ctx.supervisor.list().filter((p) => ids.has(p.id)),
      skipped: restored.skipped,
      notes,
      warnings: outcome.warnings.filter((w) => !outcome.list.rejected.some((r) => w.endsWith(r))),
    };
  });

export const handleUpdate: Handler<'daemon.update'> = async (_params, ctx) => {
  // Named as itself: the snapshot below would refuse as "tend save" (seventh audit).
  if (ctx.role === 'runtime')
    throw refusedInRuntime(
      'tend update',
      'a new tend comes with a new image: roll the pods (kubectl rollout restart) or restart the container',
    );
  // A second update while the first stops the apps would record them all as wanted down.
  if (ctx.persistence.updating || ctx.isShuttingDown()) throw new TendError('TEND_ERR_SHUTTING_DOWN');
  ctx.persistence.updating = true;
  // Taken and written before the stop: the stop sets every unit's wanted state to down, and a daemon killed
  // during the stop must still leave the list to restore (the next one ends what is left of its processes).
  const handover = ctx.persistence.snapshot();
  await ctx.persistence.handover(handover);
  // The next daemon loads while the apps stop; it takes over once this one is gone.
  ctx.persistence.prepareSuccessor();
  const stoppingAt = Date.now();
  const units = ctx.supervisor.instances();
  await ctx.supervisor.stopAll();
  const stoppedAt = Date.now();
  ctx.log(`update: ${units.length} process(es) stopped in ${stoppedAt - stoppingAt} ms, handing over`);
  // Reply first: the daemon exits once the reply is on its way; the next client starts the new one.
  setImmediate(() => ctx.shutdown('daemon.update', handover));
  return { processes: units.length, stopping_at: stoppingAt, stopped_at: stoppedAt };
};

/** dump.pm2 of the list just saved: PM2's entries of the running instances, with each one's spec and record. */
async function savePm2List(ctx: DaemonContext, dump: StateFile): Promise<string> {
  // Loaded on first use (PM2 homes only): the dump's digests need node:crypto, which a daemon must not load
  // before it is needed (~0.6 MiB RSS; the footprint scenario).
  const [{ liveEntries }, { savePm2Dump }] = await Promise.all([
    import('../../pm2/daemon-entries.js'),
    import('../../pm2/home/dump-write.js'),
  ]);
  const parts = new Map(
    dump.apps.flatMap((a) =>
      a.units.map(
        (u) => [u.id, { spec: a.spec, unit: { id: u.id, instance: u.instance, wanted: u.wanted } }] as const,
      ),
    ),
  );
  const file = await savePm2Dump(
    ctx.paths.home,
    await liveEntries(ctx.supervisor, ctx.paths.home, true),
    parts,
  );
  ctx.log(`saved ${parts.size} instance(s) to ${file}`);
  return file;
}

/** A list the caller read (tend-pm2's dump.pm2), checked as a dump.json is. */
function givenList(
  list: { source: string; apps: unknown[] },
  reference: AppSpec,
): { kind: 'ok'; list: ReturnType<typeof parseSavedList>; from: string; warnings: string[] } {
  let parsed: ReturnType<typeof parseSavedList>;
  try {
    parsed = parseSavedList(JSON.stringify({ format: LIST_FORMAT, apps: list.apps }), reference);
  } catch (err) {
    throw new TendError('TEND_ERR_DUMP_CORRUPT', { detail: (err as Error).message, file: list.source });
  }
  return {
    kind: 'ok',
    list: parsed,
    from: list.source,
    warnings: parsed.rejected.map((r) => `${list.source}: ${r}`),
  };
}
