// Fields every target handles the same way: what is lost or approximated, as warnings. Target-specific
// mappings (restart policies, dependencies, signals) warn in their own renderer.
import path from 'node:path';
import type { AppSpec } from '../config/spec.js';
import type { ExportTarget, ExportWarning } from './model.js';

const TARGET_NAME: Record<ExportTarget, string> = {
  systemd: 'systemd',
  k8s: 'Kubernetes',
  compose: 'compose',
};

/** The default log files normalisation gives (`<logDir>/<name>-out.log`): those are not worth a warning. */
function customLogs(app: AppSpec, logDir: string): string[] {
  const fields: string[] = [];
  const isDefault = (file: string, suffix: string) =>
    file === '/dev/null' || file === path.join(logDir, `${app.name}-${suffix}.log`);
  if (!isDefault(app.out_file, 'out')) fields.push('out_file');
  if (!isDefault(app.err_file, 'error')) fields.push('error_file');
  if (app.log_file !== null) fields.push('log_file');
  return fields;
}

export function commonWarnings(app: AppSpec, target: ExportTarget, logDir: string): ExportWarning[] {
  const t = TARGET_NAME[target];
  const out: ExportWarning[] = [];
  const add = (field: string, message: string) => out.push({ app: app.name, field, message });
  if (app.watch !== false)
    add('watch', `no equivalent in ${t}: a deployed service restarts on a new release, not on file changes`);
  if (app.cron_restart !== null)
    add(
      'cron_restart',
      target === 'systemd'
        ? 'no equivalent in a service unit (a systemd timer running "systemctl restart" does it; not exported)'
        : `no equivalent in ${t} (a scheduled restart needs an external scheduler, e.g. a CronJob; not exported)`,
    );
  const logs = customLogs(app, logDir);
  if (logs.length > 0)
    add(
      logs.join(', '),
      `not used: tend-runtime writes the app's output to stdout/stderr (${
        target === 'systemd' ? 'the journal: journalctl -u <unit>' : 'the container log'
      })`,
    );
  return out;
}
