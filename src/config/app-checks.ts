// The checks of one app that need more than its fields: the file system (cwd, watch paths, env files, the
// script on PATH) and the machine (CPUs for instances). They run on every selected app, including one whose
// fields have problems (on the fields valid on their own), so that a file's problems are all reported in
// one run. Problems go to `issues`; a script that cannot be found is kept apart, because it has its own
// error code when it is the only problem.
import { isTendError, type TendError } from '../protocol/errors.js';
import { composeEnv, envFilePaths, readEnvFiles } from './env-layers.js';
import { healthFields } from './health-fields.js';
import { execModeOf, instancesOf } from './instances.js';
import { type ConfigIssue, describeValue } from './issues.js';
import type { NormalizeInput } from './normalize-input.js';
import { isDirectory, resolvePath } from './paths.js';
import type { ReadApp } from './read-app.js';
import { resolveScript, type ScriptTarget } from './resolve-script.js';
import type { ExecMode, HealthSpec } from './spec.js';
import { watchPaths } from './trigger-fields.js';
import { typeScriptHint } from './typescript-hint.js';

export interface CheckedApp {
  readonly cwd: string;
  readonly watch: false | string[];
  readonly envFiles: string[];
  /** The app's own variables (`env`, `port`, the selected `env_<name>`). */
  readonly appEnv: Record<string, string>;
  readonly env: Record<string, string>;
  /** null when the script could not be resolved (see scriptError) or a field it needs is wrong. */
  readonly target: ScriptTarget | null;
  readonly scriptError: TendError | null;
  readonly instances: number;
  readonly execMode: ExecMode;
  /** Readiness, probes, reload gates, dependencies (config/health-fields.ts). */
  readonly health: HealthSpec;
  readonly notes: string[];
}

export function checkApp(
  app: ReadApp,
  input: NormalizeInput,
  home: string,
  issues: ConfigIssue[],
): CheckedApp {
  const f = app.fields;
  const notes = [...app.notes];
  const cwd = resolvePath(input.baseDir, f.cwd ?? '.', home);
  // A wrong cwd is reported once, by the schema or here; what is relative to it is not checked against it.
  const cwdOk = !app.bad.has('cwd') && isDirectory(cwd);
  if (!app.bad.has('cwd') && !cwdOk) {
    issues.push({
      path: `${app.location}.cwd`,
      message: `expected an existing directory, got ${describeValue(cwd)}`,
    });
  }
  const where = { location: app.location, cwd, home };
  const watch = cwdOk ? watchPaths(f.watch, where, issues) : false;

  // env files are read here, in the daemon, once the cwd they are relative to is known to exist.
  const envFiles = envFilePaths(f.env_file, cwd, home);
  const files =
    cwdOk && input.readEnvFiles !== false ? readEnvFiles(envFiles, app.location) : { vars: {}, issues: [] };
  issues.push(...files.issues);
  const appEnv = appEnvOf(app, input, notes);
  const env = composeEnv({
    base: input.callerEnv,
    files: files.vars,
    app: appEnv,
    update: input.updateEnv ? input.callerEnv : null,
  });

  let target: ScriptTarget | null = null;
  let scriptError: TendError | null = null;
  if (cwdOk && typeof f.script === 'string' && !app.bad.has('interpreter')) {
    try {
      target = resolveScript({
        script: f.script,
        cwd,
        interpreter: f.interpreter,
        pathList: env.PATH,
        execPath: input.execPath,
        home,
        location: app.location,
        notes,
      });
    } catch (err) {
      if (!isTendError(err)) throw err;
      scriptError = err;
    }
  }
  const tsHint =
    target &&
    typeScriptHint({
      location: app.location,
      script: target.script,
      interpreter: target.interpreter,
      interpreterArgs: f.interpreter_args ?? [],
      execPath: input.execPath,
      nodeVersion: process.versions.node,
    });
  if (tsHint) notes.push(tsHint);
  // PM2's increment_var: the variable must hold the integer the instances count up from.
  const inc = f.increment_var;
  if (inc !== undefined && !/^\s*\d+\s*$/.test(env[inc] ?? ''))
    issues.push({
      path: `${app.location}.increment_var`,
      message: `env.${inc} must hold the integer the instances count up from (e.g. env: { ${inc}: 3000 }), got ${env[inc] === undefined ? 'no such variable' : describeValue(env[inc], inc)}`,
    });
  const instances = app.bad.has('instances') ? 1 : instancesOf(f.instances, input.cpus, app.location, issues);
  const mode = { location: app.location, exec_mode: f.exec_mode, instances: f.instances };
  const execMode = target ? execModeOf(mode, target, instances, notes, issues) : 'fork';
  // A wrong port or env is reported already: a `$PORT` probe is not checked against it again.
  const envOk = !app.bad.has('port') && !app.bad.has('env') && files.issues.length === 0;
  const health = healthFields(f, { ...where, cwdOk, env, envOk, execMode, instances }, issues, notes);
  return { cwd, watch, envFiles, appEnv, env, target, scriptError, instances, execMode, health, notes };
}

/** The app's env (and PM2's `port` shortcut), then env_<envName> on top. */
function appEnvOf(app: ReadApp, input: NormalizeInput, notes: string[]): Record<string, string> {
  const env: Record<string, string> = { ...app.fields.env };
  if (app.fields.port !== undefined) env.PORT = String(app.fields.port);
  if (input.envName !== null) {
    const section = app.envSections[`env_${input.envName}`];
    if (section) Object.assign(env, section);
    else
      notes.push(
        `${app.location}: no env_${input.envName} section; only env applies (TEND_ERR_CONFIG_IGNORED)`,
      );
  }
  return env;
}
