// The spec of a trivial app, normalised by this tend: what a saved spec is checked against, and where a
// field that an older tend did not write gets its default (persist/spec-check.ts).
import { normalizeApps } from '../config/normalize.js';
import type { AppSpec } from '../config/spec.js';

export function referenceSpec(logDir: string): AppSpec {
  const [spec] = normalizeApps({
    apps: [{ name: 'reference', script: process.execPath }],
    source: null,
    baseDir: '/',
    callerEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    logEnv: {},
    envName: null,
    only: null,
    logDir,
    execPath: process.execPath,
    cpus: 1,
  });
  if (!spec) throw new Error('reference spec: normalisation returned nothing');
  return spec;
}
