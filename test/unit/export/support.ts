// Shared by the export tests: the fixture ecosystem loaded as `tend export` loads it, the render input
// around it, and golden-file comparison with the machine's paths replaced (the files are portable).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LoadedExport, loadForExport } from '../../../src/export/load.js';
import type { ExportInput } from '../../../src/export/model.js';
import { VERSION } from '../../../src/version.js';
import { FIXTURES, ROOT } from '../../helpers/daemon.js';

export const EXPORT_FIXTURES = join(FIXTURES, 'export');
export const ECOSYSTEM = join(EXPORT_FIXTURES, 'ecosystem.config.cjs');

export async function loadFixture(
  file = ECOSYSTEM,
  opts: { only?: string[]; envName?: string } = {},
): Promise<LoadedExport> {
  return loadForExport(
    file,
    { only: opts.only ?? null, envName: opts.envName ?? null },
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
