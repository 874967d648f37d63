// `tend export` from flags to output, in the order that keeps a failure from leaving anything behind: load
// and validate, render (a value the target cannot carry is refused), run the validators when asked, and
// only then make `--out` and write. A `--check` that finds problems writes nothing: before, the files were
// written first (into /etc/systemd/system, say) and the command failed after.
// The CLI (cli/commands/export.ts) is the thin caller: it gives the flags and where output goes.
import { resolve } from 'node:path';
import { TendError } from '../protocol/errors.js';
import { type CheckReport, checkExport } from './check.js';
import { loadForExport } from './load.js';
import type { ExportResult, ExportTarget, ExportWarning } from './model.js';
import { prepareOutDir, writeOutFiles } from './out-dir.js';
import { renderExport } from './render.js';

export interface ExportFlags {
  readonly only?: string;
  readonly env?: string;
  readonly out?: string;
  readonly image?: string;
  readonly check?: boolean;
  readonly systemdVersion?: number;
  readonly user?: string;
}

export interface ExportContext {
  readonly version: string;
  /** How a systemd unit runs tend-runtime (absolute Node and entry). */
  readonly runtime: { readonly node: string; readonly entry: string };
  /** This machine's systemd (`systemctl --version`), the default target version; null: none. */
  readonly localSystemdVersion: () => number | null;
  readonly env?: NodeJS.ProcessEnv;
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

export async function runExport(
  target: ExportTarget,
  file: string,
  flags: ExportFlags,
  ctx: ExportContext,
): Promise<{ result: ExportResult; report: CheckReport | null; written: string[] }> {
  const only = onlyNames(flags.only);
  const envName = flags.env ?? null;
  const loaded = await loadForExport(file, { only, envName }, ctx.env ?? process.env);
  const systemdVersion = flags.systemdVersion ?? (target === 'systemd' ? ctx.localSystemdVersion() : null);
  const result = renderExport(target, {
    ...loaded,
    version: ctx.version,
    envName,
    image: flags.image ?? null,
    systemdVersion,
    user: flags.user ?? null,
    localTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    runtime: ctx.runtime,
    // Made later, after the checks; compose resolves its relative paths from it.
    outDir: flags.out ? resolve(flags.out) : null,
  });
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
  if (flags.out) {
    const dir = prepareOutDir(flags.out);
    for (const path of writeOutFiles(dir, result.files)) {
      written.push(path);
      ctx.stdout(`wrote ${path}\n`);
    }
  } else {
    const several = result.files.length > 1;
    for (const f of result.files) ctx.stdout(`${several ? `# --- ${f.name} ---\n` : ''}${f.content}`);
  }
  for (const w of result.warnings) ctx.warn(w);
  if (report) {
    for (const note of report.notes ?? []) ctx.stderr(`check: ${report.validator}: ${note}\n`);
    ctx.stderr(
      report.ran
        ? `check: ${report.validator}: ok\n`
        : `check: ${report.validator}: not run (${report.findings.join('; ')})\n`,
    );
  }
  return { result, report, written };
}
