// What every renderer of `tend export` works from (a frozen, validated list of AppSpecs and the options of the
// run) and what it gives back (files and warnings). Renderers are pure: same input, same bytes.
import type { AppSpec } from '../config/spec.js';

export const EXPORT_TARGETS = ['systemd', 'k8s', 'compose'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export interface ExportInput {
  /** The apps, in the file's order, validated as `tend start` validates them. */
  readonly apps: readonly AppSpec[];
  /** Absolute path of the ecosystem file. */
  readonly source: string;
  /** The same file as the shell named it through a link (`/srv/app/current/…`), or null (load.ts givenAs). */
  readonly givenAs?: string | null;
  /**
   * The current directory, absolute: the build context of the image (k8s, compose), so the ecosystem file is
   * at its path relative to it in the image (image-paths.ts), and where a printed compose.yaml goes.
   */
  readonly cwd: string;
  /**
   * The `cwd`, `script` and `interpreter` values the file gives as absolute paths (normalised): host paths,
   * which the image must hold at the same path (k8s and compose warn: image-paths.ts).
   */
  readonly absolutePaths: readonly string[];
  /** `--only`, as given (the header records it), or null. */
  readonly only: readonly string[] | null;
  /** sha256 of the file's bytes, hex: the header says which version of the file a unit came from. */
  readonly sha256: string;
  /** tend's version, for the header. */
  readonly version: string;
  /** `--env NAME`: passed on to tend-runtime, which selects env_<NAME> again at run time. */
  readonly envName: string | null;
  /** Apps whose instance count follows the CPUs ('max', 0, -n): `instances` is 1 in their spec here. */
  readonly cpuRelative: readonly string[];
  /**
   * `--out DIR`, absolute: compose resolves its relative paths (env_file, build) from the compose file's
   * folder. null (printed): the current directory, where `> compose.yaml` puts it.
   */
  readonly outDir: string | null;
  /** `--image`: the container image (k8s, compose); null: a placeholder (k8s) or `build: .` (compose). */
  readonly image: string | null;
  /** systemd's version on the target machine (`--systemd-version`, else detected), or null: unknown. */
  readonly systemdVersion: number | null;
  /** `--user`: systemd's User= for every unit (system units); null: none. */
  readonly user: string | null;
  /**
   * Who exports (uid and name): a systemd unit without User= runs as root, which is a change for apps
   * that `tend start` ran as this user (warned). Absent or null: unknown, nothing warned.
   */
  readonly exporter?: { readonly uid: number; readonly name: string } | null;
  /**
   * The time zone of the machine that exports (IANA, Intl's): a schedule without cron_restart_tz runs in the
   * local zone of the machine that runs it, assumed to be this one (as --systemd-version defaults to this
   * machine's); only a warning depends on it (dst.ts).
   */
  readonly localTimeZone: string;
  /** The log directory normalisation used: apps whose logs are elsewhere get a warning. */
  readonly logDir: string;
  /** How a systemd unit runs tend-runtime: absolute Node and the runtime's entry file. */
  readonly runtime: { readonly node: string; readonly entry: string };
}

/** Something of an app the target cannot express, or expresses differently: printed as a warning. */
export interface ExportWarning {
  readonly app: string;
  /** The field (or the concept) concerned, e.g. `watch`, `depends_on.db`, `env.DB_PASSWORD`. */
  readonly field: string;
  readonly message: string;
}

export interface ExportFile {
  /** File name within `--out` (no directory part). */
  readonly name: string;
  readonly content: string;
}

export interface ExportResult {
  readonly files: readonly ExportFile[];
  readonly warnings: readonly ExportWarning[];
}

/** The command containers run (the image installs tend, whose second bin it is). */
export const RUNTIME_BIN = 'tend-runtime';
/**
 * Node's flags for tend-runtime's own Node, as bin/tend-runtime.js's sh line gives them (its default for
 * TEND_RUNTIME_NODE_FLAGS; a test keeps the two the same): a systemd unit runs that Node directly, without the
 * sh line (fourth audit: the units' runtimes ran with optimising compilers, ~9 MiB more after a minute).
 */
export const RUNTIME_NODE_FLAGS = [
  '--no-turbofan',
  '--no-maglev',
  '--no-sparkplug',
  '--regexp-interpret-all',
  '--enable-experimental-regexp-engine-on-excessive-backtracks',
  '--expose-gc',
  '--compact-on-every-full-gc',
];
/**
 * Variables for the apps' Node that tend-runtime's own Node must not read (the sh line moves them aside): a
 * unit does not set them in its environment; tend-runtime gives them to the app from the ecosystem file.
 */
export const APPS_NODE_ONLY = ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'];
/** Port of tend-runtime's health listener (/livez /readyz /startupz /metrics) in containers. */
export { HEALTH_PORT } from '../settings/address.js';
