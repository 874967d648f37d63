// restart / reload of an ecosystem file: the file is the truth. Its apps are normalised again from the file
// as it is now, and each running app takes the new configuration before it restarts: script, args, cwd,
// interpreter, the restart policy, watch / memory / cron. PM2 ignores such edits until the app is deleted
// (Unitech/pm2#3742). Three things stay as they are, each for a reason:
// - the environment: it changes only with --update-env (docs/config.md, "The environment");
// - instances and exec_mode: a different count is `tend scale`, a different mode a new app (a note says so);
// - log files and their format: the unit's files are open (a note says to delete and start again).
// Every app is normalised before any is changed, so a mistake in the file fails the command untouched.
import { availableParallelism } from 'node:os';
import { deepFreeze } from '../config/deep-freeze.js';
import { type NormalizeInput, normalizeApps } from '../config/normalize.js';
import type { AppSpec } from '../config/spec.js';
import type { EcosystemFile } from '../protocol/update-env.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import type { DaemonContext } from './context.js';

/** Fields a restart keeps from the running app (see above). */
const KEPT = [
  'name',
  'namespace',
  'env',
  'env_file',
  'app_env',
  'env_name',
  'instances',
  'exec_mode',
] as const;
const LOG_FIELDS = [
  'out_file',
  'err_file',
  'log_file',
  'merge_logs',
  'time',
  'log_date_format',
  'log_type',
  'max_size',
  'retain',
  'compress',
  'rotate_interval',
] as const;

/** Applies the file's configuration to the apps of `units`; returns notes for the user. */
export function applyFileConfig(
  units: readonly ProcessUnit[],
  file: EcosystemFile | null,
  ctx: DaemonContext,
): string[] {
  if (file === null || units.length === 0) return [];
  const current = new Map<string, AppSpec>();
  for (const u of units) if (!current.has(u.name)) current.set(u.name, u.spec);
  const fresh = new Map<string, AppSpec>();
  for (const [name, spec] of current) {
    const [next] = normalizeFile(file, ctx, {
      // The app's own environment resolves the script on its PATH, as at its first start.
      callerEnv: { ...spec.env },
      logEnv: {},
      envName: file.env_name ?? spec.env_name,
      only: [name],
    });
    if (next) fresh.set(name, next);
  }
  const notes: string[] = [];
  for (const [name, spec] of current) {
    const next = fresh.get(name);
    if (!next) continue;
    const kept: Record<string, unknown> = {};
    for (const key of [...KEPT, ...LOG_FIELDS]) kept[key] = spec[key];
    if (next.instances !== spec.instances && next.exec_mode === spec.exec_mode)
      notes.push(
        `${name}: the file asks for ${next.instances} instances (running: ${spec.instances}): run "tend scale ${name} ${next.instances}"`,
      );
    if (next.exec_mode !== spec.exec_mode)
      notes.push(
        `${name}: the file asks for ${next.exec_mode} mode (running: ${spec.exec_mode}): run "tend delete ${name}", then start the file`,
      );
    const logChanged = LOG_FIELDS.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(spec[k]));
    if (logChanged.length > 0)
      notes.push(
        `${name}: log settings changed in the file (${logChanged.join(', ')}) apply after "tend delete ${name}" and a new start`,
      );
    const appUnits = units.filter((u) => u.name === name);
    ctx.supervisor.respec(appUnits, () => deepFreeze({ ...next, ...kept }) as AppSpec);
    ctx.log(`${name}: configuration applied from ${file.source}`);
  }
  return notes;
}

/** The apps of an ecosystem file the CLI sent, normalised by this daemon (restart, reload, --update-env). */
export function normalizeFile(
  file: EcosystemFile,
  ctx: DaemonContext,
  input: Pick<NormalizeInput, 'callerEnv' | 'envName' | 'only' | 'logEnv' | 'updateEnv'>,
): AppSpec[] {
  return normalizeApps({
    apps: file.apps,
    source: file.source,
    baseDir: file.base_dir,
    logDir: ctx.paths.logDir,
    execPath: process.execPath,
    cpus: availableParallelism(),
    ...input,
  });
}
