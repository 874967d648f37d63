// `tend export` from flags to output, in the order that keeps a failure from leaving anything behind: load
// and validate, render (a value the target cannot carry is refused), run the validators when asked, and
// only then make `--out` and write. A `--check` that finds problems writes nothing: before, the files were
// written first (into /etc/systemd/system, say) and the command failed after.
// The CLI (cli/commands/export.ts) is the thin caller: it gives the flags and where output goes.
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { TendError } from '../protocol/errors.js';
import { systemUnitDirs } from '../startup/unit-files.js';
import { type CheckReport, checkExport } from './check.js';
import { composeEnvFileWarnings } from './compose-env-file.js';
import { envFileWarnings, readText } from './env-file-check.js';
import { RUN_AS_USER } from './k8s-pod.js';
import { kubectlEnvFileWarnings } from './kubectl-env-file.js';
import { loadForExport } from './load.js';
import type { ExportResult, ExportTarget, ExportWarning } from './model.js';
import { prepareOutDir, shownPath, writeOutFiles } from './out-dir.js';
import { renderExport } from './render.js';
import { staleFileWarnings } from './stale-files.js';

export interface ExportFlags {
  readonly only?: string;
  readonly env?: string;
  readonly out?: string;
  readonly image?: string;
  readonly check?: boolean;
  readonly systemdVersion?: number;
  readonly user?: string;
  /** Replace existing files in --out that are not tend exports (out-dir.ts refuses them otherwise). */
  readonly force?: boolean;
}

export interface ExportContext {
  readonly version: string;
  /** How a systemd unit runs tend-runtime (absolute Node and entry). */
  readonly runtime: { readonly node: string; readonly entry: string };
  /** This machine's systemd (`systemctl --version`), the default target version; null: none. */
  readonly localSystemdVersion: () => number | null;
  readonly env?: NodeJS.ProcessEnv;
  /** Who exports (systemd warns when units without User= would run as root); default: this process's user. */
  readonly exporter?: { readonly uid: number; readonly name: string } | null;
  /** Output: the files (printed), `wrote <path>` lines, the warnings and the check's report. */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly warn: (warning: ExportWarning) => void;
}

/**
 * `--only a,b` as names. Each name must be there: `--only ''` or `--only a,,b` is refused by loadForExport
 * (an empty name), not taken as "every app" or dropped.
 */
export function onlyNames(only: string | undefined): string[] | null {
  return only === undefined ? null : only.split(',').map((s) => s.trim());
}

/**
 * The oldest systemd the units work on: Type=exec (240) for an app without a readiness gate; MemoryMax= (231)
 * and StartLimitIntervalSec= in [Unit] (230) are older.
 */
export const SYSTEMD_MIN = 240;
/** A --systemd-version past this is no version (`99999999999999999999` read as 1e20). */
const SYSTEMD_MAX = 9999;

/** Refuses what the flags themselves get wrong (TEND_ERR_USAGE), before the file is read. */
function assertFlags(target: ExportTarget, flags: ExportFlags): void {
  // `--env ''` wrote `# options: --env ` in the header and no --env in the command; a blank cannot be part of
  // an env_<name> key anyone writes, and would be two words to tend-runtime.
  if (flags.env !== undefined && (flags.env === '' || /\s/.test(flags.env)))
    throw new TendError('TEND_ERR_USAGE', {
      detail: `export: --env ${JSON.stringify(flags.env)} is not an environment name: ${flags.env === '' ? 'it is empty' : 'it holds a blank'} (--env production selects env_production; leave --env out for env alone)`,
    });
  // `--out "$DEST"` with DEST unset printed to stdout and exited 0 (seventh audit): an empty directory is
  // no directory, and leaving --out out is how to print.
  if (flags.out === '')
    throw new TendError('TEND_ERR_USAGE', {
      detail:
        'export: --out "" is not a directory: it is empty (--out DIR writes the files there; leave --out out to print them)',
    });
  const v = flags.systemdVersion;
  if (target === 'systemd' && v !== undefined) assertSystemdVersion(v, `--systemd-version ${v}`);
}

/** `what`: the version as the user would recognise it (`--systemd-version 239`, this machine's). */
function assertSystemdVersion(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1 || v > SYSTEMD_MAX)
    throw new TendError('TEND_ERR_USAGE', {
      detail: `export: ${what} is not a systemd version (expected 1..${SYSTEMD_MAX}, e.g. 252)`,
    });
  if (v < SYSTEMD_MIN)
    throw new TendError('TEND_ERR_USAGE', {
      detail: `export: ${what}: the units need systemd ≥ ${SYSTEMD_MIN} (Type=exec, 240; MemoryMax=, 231; StartLimitIntervalSec= in [Unit], 230); run tend-runtime under a newer systemd, or write the units by hand`,
    });
}

/** This process's user, or null where there is none to name (no getuid: Windows). */
function currentUser(): { uid: number; name: string } | null {
  if (typeof process.getuid !== 'function') return null;
  const uid = process.getuid();
  let name = String(uid);
  try {
    name = userInfo().username;
  } catch {
    // A uid without a passwd entry (a container's arbitrary uid): named by its number.
  }
  return { uid, name };
}

/** Flags only systemd reads, given for another target: said, not silently dropped. */
function ignoredFlags(target: ExportTarget, flags: ExportFlags): ExportWarning[] {
  const out: ExportWarning[] = [];
  if (flags.force === true && !flags.out)
    out.push({ app: '*', field: '--force', message: 'does nothing without --out: nothing is written' });
  if (target === 'systemd') return out;
  const runsAs =
    target === 'k8s'
      ? `the pod runs as uid ${RUN_AS_USER} (securityContext.runAsUser)`
      : "the container runs as the image's user (compose's user: to change it)";
  if (flags.user !== undefined)
    out.push({
      app: '*',
      field: '--user',
      message: `systemd's only (User=): not used by ${target}; ${runsAs}`,
    });
  if (flags.systemdVersion !== undefined)
    out.push({ app: '*', field: '--systemd-version', message: `systemd's only: not used by ${target}` });
  return out;
}

export async function runExport(
  target: ExportTarget,
  file: string,
  flags: ExportFlags,
  ctx: ExportContext,
): Promise<{ result: ExportResult; report: CheckReport | null; written: string[] }> {
  assertFlags(target, flags);
  const only = onlyNames(flags.only);
  const envName = flags.env ?? null;
  const loaded = await loadForExport(file, { only, envName }, ctx.env ?? process.env);
  const local = flags.systemdVersion === undefined && target === 'systemd' ? ctx.localSystemdVersion() : null;
  // This machine's systemd as the target's: as old a one is refused the same way, saying where it came from.
  if (local !== null)
    assertSystemdVersion(
      local,
      `this machine's systemd is ${local} (--systemd-version N names the target's)`,
    );
  const systemdVersion = flags.systemdVersion ?? local;
  const rendered = renderExport(target, {
    ...loaded,
    version: ctx.version,
    envName,
    image: flags.image ?? null,
    systemdVersion,
    user: flags.user ?? null,
    exporter: ctx.exporter === undefined ? currentUser() : ctx.exporter,
    localTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    runtime: ctx.runtime,
    // Made later, after the checks; compose resolves its relative paths from it.
    outDir: flags.out ? resolve(flags.out) : null,
  });
  // systemd reads the env_files itself (EnvironmentFile=), and so does kubectl for the Secret the pod's
  // envFrom names (--from-env-file), each with a syntax of its own: what they would read otherwise than tend
  // is warned (env-file-check.ts, kubectl-env-file.ts); compose reads a dotenv as tend does, but expands
  // `$VAR` in it (compose-env-file.ts).
  const envFiles =
    target === 'systemd'
      ? envFileWarnings(loaded.apps, systemdVersion)
      : target === 'k8s'
        ? kubectlEnvFileWarnings(loaded.apps, readText)
        : composeEnvFileWarnings(loaded.apps, readText);
  const result = {
    ...rendered,
    warnings: [...ignoredFlags(target, flags), ...rendered.warnings, ...envFiles],
  };
  // Checked before anything is written: findings leave --out as it was.
  let report: CheckReport | null = null;
  if (flags.check) {
    report = await checkExport(target, result.files, { systemdVersion });
    if (report.ran && report.findings.length > 0) {
      for (const w of result.warnings) ctx.warn(w);
      throw new TendError('TEND_ERR_EXPORT_CHECK_FAILED', {
        validator: report.validator,
        findings: report.findings,
      });
    }
  }
  const written: string[] = [];
  const stale: ExportWarning[] = [];
  if (flags.out) {
    const dir = prepareOutDir(flags.out);
    // A unit named as one of systemd's elsewhere (the distribution's cron.service) is refused, as a file in
    // the way is: the unit directories are where systemd looks them up (out-dir.ts).
    const unitDirs = target === 'systemd' ? systemUnitDirs(ctx.env ?? process.env) : undefined;
    for (const path of writeOutFiles(dir, result.files, {
      force: flags.force === true,
      unitDirs,
      source: loaded.source,
      givenAs: loaded.givenAs,
    })) {
      written.push(path);
      ctx.stdout(`wrote ${shownPath(path)}\n`);
    }
    // What an earlier export of this file wrote there and this one does not: said, never removed.
    stale.push(
      ...staleFileWarnings({
        target,
        source: loaded.source,
        givenAs: loaded.givenAs,
        file,
        only,
        dir,
        out: flags.out,
        files: result.files,
      }),
    );
  } else {
    const several = result.files.length > 1;
    for (const f of result.files) ctx.stdout(`${several ? `# --- ${f.name} ---\n` : ''}${f.content}`);
  }
  for (const w of [...result.warnings, ...stale]) ctx.warn(w);
  if (report) {
    for (const note of report.notes ?? []) ctx.stderr(`check: ${report.validator}: ${note}\n`);
    ctx.stderr(
      report.ran
        ? `check: ${report.validator}: ok\n`
        : `check: ${report.validator}: not run (${report.findings.join('; ')})\n`,
    );
  }
  return { result: { ...result, warnings: [...result.warnings, ...stale] }, report, written };
}
