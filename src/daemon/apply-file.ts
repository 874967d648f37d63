// restart / reload of an ecosystem file: the file is the truth. Its apps are normalised again from the file
// as it is now, and each running app takes the new configuration before it restarts: script, args, cwd,
// interpreter, the restart policy, watch / memory / cron. PM2 ignores such edits until the app is deleted
// (Unitech/pm2#3742). Three things stay as they are, each for a reason:
// - the environment: it changes only with --update-env (docs/config.md, "The environment");
// - instances and exec_mode: a different count is `tend scale`, a different mode a new app (a note says so);
// - log files and their format, and the namespace: the unit's files are open (a note says to delete and
//   start again).
// Which field is which is the registry's `change` (config/registry/).
// Every app is normalised before any is changed, so a mistake in the file fails the command untouched.
// In a PM2 home (issue 17, tend-pm2) the file's environment and line format apply too, as PM2 7 does: `env`
// (and env_file, port), plus the env_<name> that `--env` selects now; without --env, only `env`, even for an
// app started with --env production (PM2 returns to `env`; unlike PM2, the variables of the section it left
// are gone, not lingering). The shell's environment still changes only with --update-env.

import { deepFreeze } from '../config/deep-freeze.js';
import { type NormalizeInput, normalizeApps } from '../config/normalize.js';
import { type Change, FIELDS, type FieldDef, specKeyOf } from '../config/registry/index.js';
import type { AppSpec } from '../config/spec.js';
import { pm2FileName } from '../pm2/home/names.js';
import type { EcosystemFile } from '../protocol/update-env.js';
import { cpuCount } from '../runtime/cpu-count.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import type { DaemonContext } from './context.js';

/**
 * Fields a restart keeps from the running app, by what the registry says a change of each needs
 * (config/registry/field.ts, `change`), and the spec keys that are not fields (derived from env).
 */
const changeOf = (change: Change) =>
  (FIELDS as readonly FieldDef[])
    .filter((f) => f.change === change)
    .map((f) => specKeyOf(f) as keyof AppSpec);
const KEPT: readonly (keyof AppSpec)[] = [
  ...changeOf('identity'),
  ...changeOf('update-env'),
  ...changeOf('scale'),
  'app_env',
  'env_name',
];
/** Kept too, and named in a note: they apply to a new app (the log files are open, the mode is set). */
const RECREATE: readonly (keyof AppSpec)[] = changeOf('recreate');
/** PM2 home: what follows the file besides tend's own (PM2 7 applies them on `restart <file>`). */
const PM2_FOLLOWS: ReadonlySet<keyof AppSpec> = new Set<keyof AppSpec>([
  ...changeOf('update-env'),
  'app_env',
  'env_name',
  'time',
  'log_date_format',
  'log_type',
]);

/** The environment an app was started in without its own layer: the base a new app layer goes on. */
function baseOf(spec: AppSpec): Record<string, string> {
  return Object.fromEntries(Object.entries(spec.env).filter(([k]) => !(k in spec.app_env)));
}

/** Applies the file's configuration to the apps of `units`; returns notes for the user. */
export function applyFileConfig(
  units: readonly ProcessUnit[],
  file: EcosystemFile | null,
  ctx: DaemonContext,
): string[] {
  if (file === null || units.length === 0) return [];
  const pm2 = ctx.layout === 'pm2';
  const current = new Map<string, AppSpec>();
  for (const u of units) if (!current.has(u.name)) current.set(u.name, u.spec);
  const fresh = new Map<string, AppSpec>();
  for (const [name, spec] of current) {
    const next = normalizeFile(file, ctx, {
      // The app's own environment resolves the script on its PATH, as at its first start.
      callerEnv: pm2 ? baseOf(spec) : { ...spec.env },
      logEnv: {},
      envName: pm2 ? file.env_name : (file.env_name ?? spec.env_name),
      only: [name],
      // This app alone: its dependencies are apps of their own (config/dependency-checks.ts).
      withDependencies: false,
    }).find((s) => s.name === name);
    if (next) fresh.set(name, next);
  }
  const notes: string[] = [];
  for (const [name, spec] of current) {
    const next = fresh.get(name);
    if (!next) continue;
    const kept: Record<string, unknown> = {};
    for (const key of [...KEPT, ...RECREATE]) if (!(pm2 && PM2_FOLLOWS.has(key))) kept[key] = spec[key];
    if (next.instances !== spec.instances && next.exec_mode === spec.exec_mode)
      notes.push(
        `${name}: the file asks for ${next.instances} instances (running: ${spec.instances}): run "tend scale ${name} ${next.instances}" (TEND_ERR_CONFIG_IGNORED)`,
      );
    if (next.exec_mode !== spec.exec_mode)
      notes.push(
        `${name}: the file asks for ${next.exec_mode} mode (running: ${spec.exec_mode}): run "tend delete ${name}", then start the file (TEND_ERR_CONFIG_IGNORED)`,
      );
    // exec_mode has its own note above; the others (log files and format, namespace) share one.
    const changed = RECREATE.filter(
      (k) =>
        k !== 'exec_mode' &&
        !(pm2 && PM2_FOLLOWS.has(k)) &&
        JSON.stringify(next[k]) !== JSON.stringify(spec[k]),
    );
    if (changed.length > 0)
      notes.push(
        `${name}: changed in the file (${changed.join(', ')}), applies after "tend delete ${name}" and a new start (TEND_ERR_CONFIG_IGNORED)`,
      );
    const appUnits = units.filter((u) => u.name === name);
    ctx.supervisor.respec(appUnits, () => deepFreeze({ ...next, ...kept }) as AppSpec);
    // The units' log sinks outlive restarts: their next runs take the file's line format.
    if (pm2)
      for (const u of ctx.supervisor.app(name)?.units() ?? [])
        ctx.logs.sink(u.id)?.reformat({
          time: next.time,
          log_date_format: next.log_date_format,
          log_type: next.log_type,
        });
    ctx.log(`${name}: configuration applied from ${file.source}`);
  }
  return notes;
}

/** The apps of an ecosystem file the CLI sent, normalised by this daemon (restart, reload, --update-env). */
export function normalizeFile(
  file: EcosystemFile,
  ctx: DaemonContext,
  input: Pick<NormalizeInput, 'callerEnv' | 'envName' | 'only' | 'logEnv' | 'updateEnv' | 'withDependencies'>,
): AppSpec[] {
  return normalizeApps({
    // A depends_on may name an app the daemon runs that the file does not define.
    existing: ctx.supervisor.apps().map((a) => a.spec),
    apps: file.apps,
    source: file.source,
    baseDir: file.base_dir,
    logDir: ctx.paths.logDir,
    logName: ctx.layout === 'pm2' ? pm2FileName : undefined,
    execPath: process.execPath,
    cpus: cpuCount(),
    ...input,
  });
}
