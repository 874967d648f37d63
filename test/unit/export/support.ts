// Shared by the export tests: the fixture ecosystem loaded as `tend export` loads it, the render input
// around it, and golden-file comparison with the machine's paths replaced (the files are portable).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after } from 'node:test';
import { type LoadedExport, loadForExport } from '../../../src/export/load.js';
import type { ExportInput, ExportTarget, ExportWarning } from '../../../src/export/model.js';
import { type ExportFlags, runExport } from '../../../src/export/run.js';
import { TendError } from '../../../src/protocol/errors.js';
import { VERSION } from '../../../src/version.js';
import { FIXTURES, ROOT } from '../../helpers/daemon.js';

export const EXPORT_FIXTURES = join(FIXTURES, 'export');
export const ECOSYSTEM = join(EXPORT_FIXTURES, 'ecosystem.config.cjs');

export async function loadFixture(
  file = ECOSYSTEM,
  opts: { only?: string[]; envName?: string; cwd?: string } = {},
): Promise<LoadedExport> {
  return loadForExport(
    file,
    // The file's folder as the current directory (the image's build context): the file is at its name.
    { only: opts.only ?? null, envName: opts.envName ?? null, cwd: opts.cwd ?? dirname(file) },
    { ...process.env, TEND_HOME: '/home/tester/.tend' },
  );
}

export function inputOf(loaded: LoadedExport, over: Partial<ExportInput> = {}): ExportInput {
  return {
    ...loaded,
    version: VERSION,
    envName: null,
    image: null,
    systemdVersion: 252,
    user: null,
    localTimeZone: 'UTC',
    runtime: { node: '/usr/bin/node', entry: '/opt/tend/bin/tend-runtime.js' },
    outDir: null,
    ...over,
  };
}

/** The fixture directory becomes /srv/shop and the version <version>: the goldens do not depend on either. */
export function portable(text: string): string {
  return text
    .replaceAll(EXPORT_FIXTURES, '/srv/shop')
    .replaceAll(ROOT, '/srv/tend')
    .replaceAll(`tend ${VERSION} `, 'tend <version> ');
}

/** Compares with a golden file under test/fixtures/export/golden; UPDATE_GOLDEN=1 rewrites it. */
export function golden(name: string, actual: string): void {
  const file = join(EXPORT_FIXTURES, 'golden', name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from the golden file`);
}

/**
 * A temporary directory (removed after the file's tests) and `inputFor`: apps written there as an ecosystem
 * file (each with the fixture script unless it says otherwise), loaded as `tend export` loads it.
 */
export function appsFixtures(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(EXPORT_FIXTURES, 'app.cjs');
  let n = 0;
  const inputFor = async (apps: Record<string, unknown>[], over: Partial<ExportInput> = {}) => {
    const file = join(dir, `e${n++}.json`);
    // The script relative to the file, as a project writes it: an absolute one is a host path, which k8s
    // and compose warn about (image-paths.ts hostPathWarnings). An app with a cwd of its own finds its
    // script from there: absolute then.
    const scriptOf = (a: Record<string, unknown>) => (a.cwd === undefined ? relative(dir, script) : script);
    writeFileSync(file, JSON.stringify({ apps: apps.map((a) => ({ script: scriptOf(a), ...a })) }));
    return inputOf(await loadFixture(file), { image: 'img:1', ...over });
  };
  /** The name of the file the last inputFor wrote. */
  const lastFile = () => `e${n - 1}.json`;
  return { dir, script, inputFor, lastFile };
}

/** The coded error `fn` throws (it must throw one). */
export function refusal(fn: () => unknown): TendError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof TendError, String(err));
    return err;
  }
  assert.fail('no error');
}

/**
 * `tend export <target> <file>` as the CLI runs it, output dropped: the warnings it gives. `home` is the
 * TEND_HOME it sees; `systemdVersion` the machine's systemd (null: none).
 */
export async function exportWarnings(
  target: ExportTarget,
  file: string,
  flags: ExportFlags,
  home: string,
  systemdVersion: number | null = null,
): Promise<ExportWarning[]> {
  const warnings: ExportWarning[] = [];
  await runExport(target, file, flags, {
    version: VERSION,
    runtime: { node: process.execPath, entry: join(EXPORT_FIXTURES, 'app.cjs') },
    localSystemdVersion: () => systemdVersion,
    env: { ...process.env, TEND_HOME: home },
    stdout: () => {},
    stderr: () => {},
    warn: (w) => warnings.push(w),
  });
  return warnings;
}
