// Raw apps (PM2 field names, from an ecosystem file or CLI flags) → frozen AppSpecs. Runs in the daemon,
// the trust boundary: everything is checked here once, every problem of one input is reported in one
// error, and what comes out needs no further checks.

import os from 'node:os';
import path from 'node:path';
import { deepFreeze } from './deep-freeze.js';
import { composeEnv, envFilePaths, readEnvFiles } from './env-layers.js';
import { fieldTypes } from './field-types.js';
import { execModeOf, instancesOf } from './instances.js';
import { type ConfigIssue, configError, describeValue } from './issues.js';
import { type LogDefaults, logDefaultsFrom, logFields } from './log-fields.js';
import { isDirectory, resolvePath } from './paths.js';
import { type ReadApp, readApp, readSchemas } from './read-app.js';
import { resolveScript } from './resolve-script.js';
import type { AppSpec } from './spec.js';
import { type TriggerSpec, triggerFields, triggerSchemas } from './trigger-fields.js';

export interface NormalizeInput {
  apps: readonly Record<string, unknown>[];
  /** Ecosystem file path, for messages; null = command line. */
  source: string | null;
  /** Relative cwd resolves against this; the script resolves against the app's cwd. */
  baseDir: string;
  /** The CLI's environment: the base of every app env. */
  callerEnv: Readonly<Record<string, string>>;
  /** Selects env_<envName>. */
  envName: string | null;
  only: readonly string[] | null;
  /** Default logs: <logDir>/<name>-out.log and <logDir>/<name>-error.log. */
  logDir: string;
  /** The Node binary for .js/.mjs/.cjs scripts (interpreter 'node' maps to it too). */
  execPath: string;
  cpus: number;
  /** Where TEND_LOG_* global defaults are read (default: callerEnv). */
  logEnv?: Readonly<Record<string, string | undefined>>;
  /** --update-env: callerEnv is also the top layer of the environment (config/env-layers.ts). */
  updateEnv?: boolean;
}

export const DEFAULTS = {
  namespace: 'default',
  instances: 1,
  autorestart: true,
  max_restarts: 16,
  min_uptime: 1000,
  restart_delay: 0,
  exp_backoff_restart_delay: 0,
  exp_backoff_max_delay: 15_000,
  kill_timeout: 5000,
  kill_signal: 'SIGINT',
  wait_ready: false,
  listen_timeout: 3000,
  shutdown_with_message: false,
} as const;

export function normalizeApps(input: NormalizeInput): AppSpec[] {
  if (input.apps.length === 0) {
    throw configError(input.source, [{ path: 'apps', message: 'expected at least one app, got []' }]);
  }
  const logDefaults = logDefaultsFrom(input.logEnv ?? input.callerEnv);
  if (logDefaults.issues.length > 0) throw configError('environment', logDefaults.issues);
  const issues: ConfigIssue[] = [];
  const read: ReadApp[] = [];
  // Built for this call and dropped with it (config/schema.ts); shared by all the apps.
  const types = fieldTypes();
  const schemas = readSchemas(types);
  input.apps.forEach((raw, index) => {
    const result = readApp(raw, index, schemas);
    if (result.ok) read.push(result.app);
    else issues.push(...result.issues);
  });
  issues.push(...duplicateNames(read));
  // An app that failed to read is still "there" for --only: its own problems are what to report.
  const written = input.apps.map((a) => a.name).filter((n): n is string => typeof n === 'string');
  const selected = selectOnly(read, input.only, issues, written);
  if (issues.length > 0) throw configError(input.source, issues);

  const home = input.callerEnv.HOME || os.homedir();
  const cwds = selected.map((app) => resolvePath(input.baseDir, app.fields.cwd ?? '.', home));
  selected.forEach((app, i) => {
    const cwd = cwds[i] as string;
    if (!isDirectory(cwd)) {
      issues.push({
        path: `${app.location}.cwd`,
        message: `expected an existing directory, got ${describeValue(cwd)}`,
      });
    }
  });
  // Restart triggers: their messages name the app, and watch paths resolve against the cwd.
  const checks = triggerSchemas(types);
  const triggers = selected.map((app, i) => {
    const cwd = cwds[i] as string;
    const fields = { location: app.location, name: app.name, fields: app.fields, home };
    return triggerFields({ ...fields, cwd: isDirectory(cwd) ? cwd : null }, issues, app.notes, checks);
  });
  if (issues.length > 0) throw configError(input.source, issues);

  // env files are read here, in the daemon, once the cwd they are relative to is known to exist.
  const envFiles = selected.map((app, i) => {
    const paths = envFilePaths(app.fields.env_file, cwds[i] as string, home);
    const { vars, issues: fileIssues } = readEnvFiles(paths, app.location);
    issues.push(...fileIssues);
    return { paths, vars };
  });
  if (issues.length > 0) throw configError(input.source, issues);

  return selected.map((app, i) =>
    deepFreeze(
      toSpec(
        app,
        cwds[i] as string,
        home,
        input,
        logDefaults.defaults,
        triggers[i] as TriggerSpec,
        envFiles[i] as EnvFiles,
      ),
    ),
  );
}

interface EnvFiles {
  paths: string[];
  vars: Record<string, string>;
}

function toSpec(
  app: ReadApp,
  cwd: string,
  home: string,
  input: NormalizeInput,
  logDefaults: LogDefaults,
  triggers: TriggerSpec,
  envFiles: EnvFiles,
): AppSpec {
  const f = app.fields;
  const notes = [...app.notes];
  const app_env = appEnv(app, input, notes);
  const env = composeEnv({
    base: input.callerEnv,
    files: envFiles.vars,
    app: app_env,
    update: input.updateEnv ? input.callerEnv : null,
  });
  const target = resolveScript({
    script: f.script,
    cwd,
    interpreter: f.interpreter,
    pathList: env.PATH,
    execPath: input.execPath,
    home,
  });
  const instances = instancesOf(app, input.cpus, input.source);
  const exec_mode = execModeOf(app, target, instances, input.source, notes);
  const logFile = (written: string | undefined, suffix: string): string => {
    if (written !== undefined) return resolvePath(cwd, written, home);
    if (f.disable_logs) return '/dev/null';
    return path.join(input.logDir, `${app.name}-${suffix}.log`);
  };
  return {
    name: app.name,
    namespace: f.namespace ?? DEFAULTS.namespace,
    script: target.script,
    args: f.args ?? [],
    cwd,
    interpreter: target.interpreter,
    interpreter_args: f.interpreter_args ?? [],
    is_node: target.is_node,
    exec_mode,
    instances,
    env,
    autorestart: f.autorestart ?? DEFAULTS.autorestart,
    max_restarts: f.max_restarts ?? DEFAULTS.max_restarts,
    min_uptime: f.min_uptime ?? DEFAULTS.min_uptime,
    restart_delay: f.restart_delay ?? DEFAULTS.restart_delay,
    exp_backoff_restart_delay: f.exp_backoff_restart_delay ?? DEFAULTS.exp_backoff_restart_delay,
    exp_backoff_max_delay: f.exp_backoff_max_delay ?? DEFAULTS.exp_backoff_max_delay,
    kill_timeout: f.kill_timeout ?? DEFAULTS.kill_timeout,
    kill_signal: f.kill_signal ?? DEFAULTS.kill_signal,
    stop_exit_codes: f.stop_exit_codes ?? [],
    wait_ready: f.wait_ready ?? DEFAULTS.wait_ready,
    listen_timeout: f.listen_timeout ?? DEFAULTS.listen_timeout,
    shutdown_with_message: f.shutdown_with_message ?? DEFAULTS.shutdown_with_message,
    out_file: logFile(f.out_file, 'out'),
    err_file: logFile(f.error_file, 'error'),
    ...logFields({ name: app.name, cwd, home, logDir: input.logDir, fields: f }, logDefaults),
    ...triggers,
    stored: app.stored,
    notes,
    source: input.source,
    env_file: envFiles.paths,
    app_env,
    env_name: input.envName,
  };
}

/** The app's env (and PM2's `port` shortcut), then env_<envName> on top. */
function appEnv(app: ReadApp, input: NormalizeInput, notes: string[]): Record<string, string> {
  const env: Record<string, string> = { ...app.fields.env };
  if (app.fields.port !== undefined) env.PORT = String(app.fields.port);
  if (input.envName !== null) {
    const section = app.envSections[`env_${input.envName}`];
    if (section) Object.assign(env, section);
    else notes.push(`${app.location}: no env_${input.envName} section; only env applies`);
  }
  return env;
}

function duplicateNames(apps: readonly ReadApp[]): ConfigIssue[] {
  const first = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const app of apps) {
    const earlier = first.get(app.name);
    if (earlier === undefined) first.set(app.name, app.location);
    else
      issues.push({
        path: `${app.location}.name`,
        message: `duplicate name "${app.name}" (also ${earlier})`,
      });
  }
  return issues;
}

/** The apps named in `only` (all when null); unknown names become an issue listing the available ones. */
function selectOnly(
  apps: readonly ReadApp[],
  only: readonly string[] | null,
  issues: ConfigIssue[],
  written: readonly string[] = [],
): ReadApp[] {
  if (only === null) return [...apps];
  const wanted = new Set(only);
  const missing = [...wanted].filter(
    (name) => !apps.some((app) => app.name === name) && !written.includes(name),
  );
  if (missing.length > 0) {
    const quote = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');
    const available = apps.length > 0 ? quote(apps.map((app) => app.name)) : 'none';
    issues.push({ path: 'only', message: `no app named ${quote(missing)} (available: ${available})` });
  }
  return apps.filter((app) => wanted.has(app.name));
}
