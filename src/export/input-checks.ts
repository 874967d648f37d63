// What an export refuses in its input before anything is rendered or written, whatever the target: an app
// name tend-runtime would read as several, and flags that would write a file the target cannot use.
import type { AppSpec } from '../config/spec.js';
import { TendError } from '../protocol/errors.js';
import type { ExportInput, ExportTarget } from './model.js';

const WHAT_RUNS: Record<ExportTarget, string> = {
  systemd: 'unit',
  k8s: 'pod',
  compose: 'service',
};

/**
 * An app name with a comma: tend-runtime splits `--only=x,y` into x and y (as pm2-runtime does), so the
 * unit, pod or service of app `x,y` would run two other apps, or fail.
 */
function assertNoComma(app: AppSpec, target: ExportTarget): void {
  if (!app.name.includes(',')) return;
  const parts = app.name
    .split(',')
    .filter((p) => p !== '')
    .map((p) => `"${p}"`);
  throw new TendError('TEND_ERR_EXPORT_UNSAFE_VALUE', {
    app: app.name,
    field: 'name',
    problem: `holds a comma, which tend-runtime's --only reads as a list separator (as pm2-runtime does): the ${WHAT_RUNS[target]} would run ${parts.length > 0 ? `the apps ${parts.join(' and ')}` : 'no app'} instead`,
    fix: 'rename the app without a comma',
  });
}

/** Throws the first refusal (coded, exit 2) for the run's input. */
export function assertExportable(target: ExportTarget, input: ExportInput): void {
  for (const app of input.apps) assertNoComma(app, target);
}
