// What normalizeApps() works from: the raw apps and everything about the caller they depend on.
import type { AppSpec } from './spec.js';

export interface NormalizeInput {
  apps: readonly Record<string, unknown>[];
  /** Ecosystem file path, for messages; null = command line. */
  source: string | null;
  /** Where the apps came from when `source` is null, for messages (`request body`); default: command line. */
  origin?: string | null;
  /** Relative cwd resolves against this; the script resolves against the app's cwd. */
  baseDir: string;
  /** The CLI's environment: the base of every app env. */
  callerEnv: Readonly<Record<string, string>>;
  /** Selects env_<envName>. */
  envName: string | null;
  only: readonly string[] | null;
  /** Default logs: <logDir>/<name>-out.log and <logDir>/<name>-error.log. */
  logDir: string;
  /**
   * The app's name as the default log files spell it (default: as it is). A PM2 home spells it PM2's way
   * (issue 17, pm2/home/names.ts: `my_api` → `my-api-out.log`).
   */
  logName?: (name: string) => string;
  /** The Node binary for .js/.mjs/.cjs scripts (interpreter 'node' maps to it too). */
  execPath: string;
  cpus: number;
  /** Where TEND_LOG_* global defaults are read (default: callerEnv). */
  logEnv?: Readonly<Record<string, string | undefined>>;
  /** --update-env: callerEnv is also the top layer of the environment (config/env-layers.ts). */
  updateEnv?: boolean;
  /**
   * The file's own position of each app (`apps[i]` in messages), when `apps` is a subset of the file's list
   * (config/lenient.ts normalises the apps it kept again); by default their index here.
   */
  positions?: readonly number[];
  /**
   * The apps the daemon already runs: a `depends_on` may name one of them (checked, with its readiness, like
   * an app of the input), and `only` does not pull in a dependency that runs already. Default: none.
   */
  existing?: readonly AppSpec[];
  /**
   * With `only`: also select the apps the selected ones depend on (transitively) that the input defines and
   * `existing` lacks, each with a note. Default true; false for `--no-deps` and for re-reading one app of a
   * file (daemon/apply-file.ts).
   */
  withDependencies?: boolean;
  /**
   * Read the apps' `env_file`s (default true). false: tend-runtime's --no-env-file, where the orchestrator has
   * put those variables in the runtime's environment already (a unit's EnvironmentFile=, a pod's envFrom, a
   * compose service's env_file:) and the files need not be in the image. The paths stay in the spec.
   */
  readEnvFiles?: boolean;
}

/** What config errors name as the apps' origin: the file, else the origin given, else the command line. */
export function whereOf(input: Pick<NormalizeInput, 'source' | 'origin'>): string | null {
  return input.source ?? input.origin ?? null;
}
