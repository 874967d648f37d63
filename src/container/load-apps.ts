// What tend-runtime runs: the same frozen, validated AppSpecs `tend start` gets (the same file loader, the same
// normalisation, the same coded errors), read here because there is no daemon. An ecosystem file gives its
// apps (`--only`, `--env`); anything else is one app as `tend start <script>` would make it: a script, a
// command string or a directory. Every app must be valid: a container that starts half its apps is lying.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ARGS_IGNORED_WITH_FILE, scriptArgument } from '../cli/script-argument.js';
import { containerDefaults } from '../config/container-defaults.js';
import { fileOverrides } from '../config/flag-overrides.js';
import { isEcosystemFile, loadEcosystemFile } from '../config/load-file.js';
import { normalizeApps } from '../config/normalize.js';
import { runtimeUnusedFields } from '../config/runtime-unused.js';
import type { AppSpec } from '../config/spec.js';
import { isPlainObject } from '../config/strict-object.js';
import { resolveHome } from '../protocol/home.js';
import { looksSecret } from '../protocol/secrets.js';
import { primeSchemaKinds } from '../protocol/zod.js';
import { cpuCount } from '../runtime/cpu-count.js';

// Before any validation (see primeSchemaKinds): here, as this module is tend-runtime's own bundle
// (dist/runtime-config.cjs), the only one of its bundles with zod in it until a control socket is served.
primeSchemaKinds();

/**
 * Once the runtime has its specs and is done with this bundle (src/container/run.ts): zod's process-wide
 * state, which it keeps on globalThis so that every copy of zod in a process shares it (the locale and
 * memoizer protocol/zod.ts installs, its global registry), is this bundle's code and would keep all of it
 * alive. A copy of zod loaded later (dist/runtime-control.cjs) installs its own.
 */
export function releaseZodGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  delete g.__zod_globalConfig;
  delete g.__zod_globalRegistry;
}

export interface LoadedApps {
  specs: AppSpec[];
  /** Notes to print once: what tend made of a command string or a directory, the config's own notes. */
  notes: string[];
}

export async function loadRuntimeApps(
  opts: {
    target: string;
    scriptArgs: readonly string[];
    only: readonly string[] | null;
    noDeps?: boolean;
    envFiles?: boolean;
    secretsFromEnv?: boolean;
    cron?: boolean;
    singleInstance?: boolean;
    /** App fields from pm2-runtime's flags (-i, -n…): a script's; a file's apps' but the name, as tend start. */
    appFields?: Readonly<Record<string, unknown>>;
    envName: string | null;
  },
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): Promise<LoadedApps> {
  // The apps' environment is the runtime's, minus tend's own variables (as the daemon does).
  const callerEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !k.startsWith('TEND_')) callerEnv[k] = v;
  const common = {
    callerEnv,
    logEnv: env,
    envName: opts.envName,
    // The log paths are never opened (output goes to stdout); normalisation still names them.
    logDir: join(resolveHome(env), 'logs'),
    execPath: process.execPath,
    // instances: 'max' in a container: the cgroup's CPU quota, not the host's cores (issue 15).
    cpus: cpuCount(),
    readEnvFiles: opts.envFiles !== false,
  };
  const notes: string[] = [];
  let specs: AppSpec[];
  // --single-instance: one instance in fork mode, whatever the file says (read as if written so, so it is
  // validated as such): the orchestrator's replicas are the app's instances ("replicas instead of cluster
  // mode", a Deployment of `tend export`); a cluster primary for one worker would only cost a process.
  const fields: Record<string, unknown> = opts.singleInstance
    ? { ...opts.appFields, instances: 1, exec_mode: 'fork' }
    : (opts.appFields ?? {});
  if (isEcosystemFile(opts.target)) {
    // As `tend start eco.config.js -i 2`: a flag sets the field of every app the file runs, but the name.
    const { overrides, ignored } = fileOverrides(fields);
    if (ignored.includes('name'))
      notes.push(
        '-n/--name is ignored with an ecosystem file (each app has its own name) (TEND_ERR_CONFIG_IGNORED)',
      );
    if (opts.scriptArgs.length > 0) notes.push(`${ARGS_IGNORED_WITH_FILE} (TEND_ERR_CONFIG_IGNORED)`);
    const loaded = await loadEcosystemFile(resolve(cwd, opts.target));
    const { source, baseDir } = loaded;
    const apps = loaded.apps.map((a) => {
      if (!isPlainObject(a)) return a;
      if (opts.singleInstance && a.instances !== undefined && a.instances !== 1)
        notes.push(
          `${typeof a.name === 'string' ? a.name : String(a.script)}: one instance in fork mode here (--single-instance), not instances: ${JSON.stringify(a.instances)}: the orchestrator's replicas are the others (TEND_ERR_NOTICE)`,
        );
      return containerDefaults({ ...a, ...overrides });
    });
    specs = normalizeApps({
      ...common,
      apps,
      source,
      baseDir,
      only: opts.only,
      withDependencies: !opts.noDeps,
    });
    if (opts.noDeps) specs = specs.map((s) => withoutDependencies(s, notes));
    if (opts.secretsFromEnv) specs = specs.map((s) => secretsFromEnvironment(s, env));
  } else {
    if (opts.only) notes.push('--only is ignored when running a script (TEND_ERR_CONFIG_IGNORED)');
    if (opts.envName)
      notes.push(
        '--env is ignored when running a script (env_<name> blocks live in an ecosystem file) (TEND_ERR_CONFIG_IGNORED)',
      );
    const special = scriptArgument(opts.target, cwd, 'tend-runtime');
    let app: Record<string, unknown>;
    if (special) {
      if (special.note) notes.push(`${special.note} (TEND_ERR_NOTICE)`);
      const args = [...special.args, ...opts.scriptArgs];
      app = containerDefaults({
        script: special.script,
        ...special.defaults,
        ...fields,
        ...(args.length > 0 ? { args } : {}),
      });
    } else {
      // A script that exists here is meant from here.
      const script = existsSync(resolve(cwd, opts.target)) ? resolve(cwd, opts.target) : opts.target;
      app = containerDefaults({
        script,
        ...fields,
        ...(opts.scriptArgs.length > 0 ? { args: [...opts.scriptArgs] } : {}),
      });
    }
    specs = normalizeApps({ ...common, envName: null, apps: [app], source: null, baseDir: cwd, only: null });
  }
  if (opts.cron === false) specs = specs.map((s) => withoutCron(s, notes));
  for (const s of specs) notes.push(...s.notes);
  // Fields the runtime has no use for (no log files, no alerts): said, not dropped silently (fifth audit).
  for (const s of specs)
    for (const u of runtimeUnusedFields(s, common.logDir))
      notes.push(`${s.name}: ${u.field} not used by tend-runtime: ${u.instead} (TEND_ERR_CONFIG_IGNORED)`);
  return { specs, notes };
}

/**
 * --secrets-from-env: a variable that looks secret (protocol/secrets.ts, by its name or the file's value)
 * takes the value the orchestrator put in the runtime's environment, where there is one: `tend export`
 * references those from a Secret or an EnvironmentFile instead of writing them, and the file's own value
 * (a development default, say) must not win over them as `env` wins over the environment otherwise.
 */
function secretsFromEnvironment(spec: AppSpec, environment: NodeJS.ProcessEnv): AppSpec {
  const env = { ...spec.env };
  const appEnv = { ...spec.app_env };
  let changed = false;
  for (const [k, v] of Object.entries(spec.env)) {
    const given = environment[k];
    if (given === undefined || given === v || !looksSecret(k, v)) continue;
    env[k] = given;
    if (k in appEnv) appEnv[k] = given;
    changed = true;
  }
  return changed ? Object.freeze({ ...spec, env: Object.freeze(env), app_env: Object.freeze(appEnv) }) : spec;
}

/** --no-cron: the orchestrator runs the app on schedule (a CronJob): here, once. */
function withoutCron(spec: AppSpec, notes: string[]): AppSpec {
  if (spec.cron_restart === null) return spec;
  notes.push(
    `${spec.name}: cron_restart "${spec.cron_restart}" not scheduled here (--no-cron): the orchestrator's (TEND_ERR_NOTICE)`,
  );
  return Object.freeze({ ...spec, cron_restart: null });
}

/**
 * --no-deps: what the app depends on runs elsewhere (another unit, pod or compose service, which the
 * orchestrator starts first: `tend export` orders them so), so its depends_on are taken as met, here.
 */
function withoutDependencies(spec: AppSpec, notes: string[]): AppSpec {
  if (spec.depends_on.length === 0) return spec;
  const names = spec.depends_on.map((d) => d.name).join(', ');
  notes.push(
    `${spec.name}: depends on ${names}, not started here (--no-deps): the orchestrator's to start first (TEND_ERR_NOTICE)`,
  );
  return Object.freeze({ ...spec, depends_on: Object.freeze([]) });
}
