// Raw apps (PM2 field names, from an ecosystem file or CLI flags) → frozen AppSpecs. Runs in the daemon,
// the trust boundary: everything is checked here once, every problem of one input is reported in one
// error (the fields of every app, then what needs the file system, for every app, in the same pass), and
// what comes out needs no further checks.

import path from 'node:path';
import { userHome } from '../protocol/home.js';
import { type CheckedApp, checkApp } from './app-checks.js';
import { deepFreeze } from './deep-freeze.js';
import { conditionIssues, dependencyGraphIssues, withDependencies } from './dependency-checks.js';
import { fieldTypes } from './field-types.js';
import { type ConfigIssue, configError } from './issues.js';
import { type LogDefaults, logDefaultsFrom, logFields } from './log-fields.js';
import { type NormalizeInput, whereOf } from './normalize-input.js';
import { resolvePath } from './paths.js';
import { type ReadApp, readApp, readSchemas } from './read-app.js';
import { defaultOf } from './registry/index.js';
import type { AppSpec } from './spec.js';
import { triggerFields } from './trigger-fields.js';

export type { NormalizeInput } from './normalize-input.js';

export function normalizeApps(input: NormalizeInput): AppSpec[] {
  if (input.apps.length === 0) {
    throw configError(whereOf(input), [{ path: 'apps', message: 'expected at least one app, got []' }]);
  }
  const logDefaults = logDefaultsFrom(input.logEnv ?? input.callerEnv);
  if (logDefaults.issues.length > 0) throw configError('environment', logDefaults.issues);
  const issues: ConfigIssue[] = [];
  // Built for this call and dropped with it (config/schema.ts); shared by all the apps.
  const schemas = readSchemas(fieldTypes());
  const read = input.apps.map((raw, index) => {
    const result = readApp(raw, input.positions?.[index] ?? index, schemas, whereOf(input) === null);
    issues.push(...result.issues);
    return result.app;
  });
  issues.push(...duplicateNames(read));
  const existing = input.existing ?? [];
  issues.push(...dependencyGraphIssues(read, existing));
  const written = input.apps.map((a) => a.name).filter((n): n is string => typeof n === 'string');
  let selected = selectOnly(read, input.only, issues, written);
  if (input.only !== null && input.withDependencies !== false)
    selected = withDependencies(read, selected, existing);

  const home = input.callerEnv.HOME || userHome();
  const checked = selected.map((app) => checkApp(app, input, home, issues));
  issues.push(...conditionIssues(selected, checked, existing));
  const scriptErrors = checked.flatMap((c, i) =>
    c.scriptError ? [{ app: selected[i] as ReadApp, error: c.scriptError }] : [],
  );
  if (issues.length > 0) {
    // A missing script is one more problem of the file: listed with the others, in the same pass.
    for (const { app, error } of scriptErrors)
      issues.push({ path: `${app.location}.script`, message: `${error.message} (${error.code})` });
    throw configError(whereOf(input), issues);
  }
  // Alone, a missing script keeps its own code (TEND_ERR_SCRIPT_NOT_FOUND / _NOT_EXECUTABLE).
  if (scriptErrors[0]) throw scriptErrors[0].error;
  return selected.map((app, i) =>
    deepFreeze(toSpec(app, checked[i] as CheckedApp, home, input, logDefaults.defaults)),
  );
}

function toSpec(
  app: ReadApp,
  c: CheckedApp,
  home: string,
  input: NormalizeInput,
  logDefaults: LogDefaults,
): AppSpec {
  const f = app.fields;
  const { cwd } = c;
  // checkApp resolved it, or there was an issue (thrown above).
  const target = c.target as NonNullable<CheckedApp['target']>;
  const notes = [...c.notes];
  // Issue 14: tend/metrics answers over Node's IPC channel; another interpreter has none to answer on.
  if (f.metrics === true && !target.is_node)
    notes.push(
      `${app.location}: metrics: true needs a Node app (tend/metrics answers over its IPC channel); /metrics/apps will not ask this one (TEND_ERR_CONFIG_IGNORED)`,
    );
  const fileName = input.logName ? input.logName(app.name) : app.name;
  const logFile = (written: string | undefined, suffix: string): string => {
    if (written !== undefined) return resolvePath(cwd, written, home);
    if (f.disable_logs) return '/dev/null';
    return path.join(input.logDir, `${fileName}-${suffix}.log`);
  };
  return {
    name: app.name,
    namespace: f.namespace ?? defaultOf('namespace'),
    script: target.script,
    args: f.args ?? [],
    cwd,
    interpreter: target.interpreter,
    interpreter_args: f.interpreter_args ?? [],
    is_node: target.is_node,
    exec_mode: c.execMode,
    instances: c.instances,
    env: c.env,
    instance_var: f.instance_var ?? defaultOf('instance_var'),
    increment_var: f.increment_var ?? null,
    autorestart: f.autorestart ?? defaultOf('autorestart'),
    max_restarts: f.max_restarts ?? defaultOf('max_restarts'),
    min_uptime: f.min_uptime ?? defaultOf('min_uptime'),
    restart_delay: f.restart_delay ?? defaultOf('restart_delay'),
    exp_backoff_restart_delay: f.exp_backoff_restart_delay ?? defaultOf('exp_backoff_restart_delay'),
    exp_backoff_max_delay: f.exp_backoff_max_delay ?? defaultOf('exp_backoff_max_delay'),
    kill_timeout: f.kill_timeout ?? defaultOf('kill_timeout'),
    kill_signal: f.kill_signal ?? defaultOf('kill_signal'),
    stop_exit_codes: f.stop_exit_codes ?? [],
    wait_ready: f.wait_ready ?? defaultOf('wait_ready'),
    listen_timeout: f.listen_timeout ?? defaultOf('listen_timeout'),
    shutdown_with_message: f.shutdown_with_message ?? defaultOf('shutdown_with_message'),
    metrics: f.metrics ?? defaultOf('metrics'),
    ...c.health,
    out_file: logFile(f.out_file, 'out'),
    err_file: logFile(f.error_file, 'error'),
    ...logFields({ name: fileName, cwd, home, logDir: input.logDir, fields: f }, logDefaults),
    ...triggerFields(f, c.watch, app.location, notes),
    stored: app.stored,
    notes,
    source: input.source,
    env_file: c.envFiles,
    app_env: c.appEnv,
    env_name: input.envName,
    notify: f.notify ?? null,
  };
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
