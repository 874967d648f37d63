// The app fields tend-runtime (issue 15) does not use, set to something other than their default: it writes
// every app's output to its own stdout and stderr (the container's log driver or journald keeps, dates and
// rotates it) and sends no alerts (the orchestrator's own alerting sees its exits and probes). One rule for
// the runtime's start-up notes (container/load-apps.ts) and the exports' warnings (export/), so the two
// never disagree (fifth audit: `notify` and the log fields were dropped without a word by both).
import { join } from 'node:path';
import { LOG_DEFAULTS } from './log-fields.js';
import type { AppSpec } from './spec.js';

export interface UnusedField {
  /** Which kind of field: the exports say per target what takes its place. */
  kind: 'files' | 'dates' | 'log_type' | 'rotation' | 'notify';
  /** The field(s), as the file spells them: `notify`, `out_file, error_file`. */
  field: string;
  /** What happens instead, one clause. */
  instead: string;
}

/** `logDir`: the directory normalisation put the default log files in (`<home>/logs`). */
export function runtimeUnusedFields(app: AppSpec, logDir: string): UnusedField[] {
  const out: UnusedField[] = [];
  const isDefault = (file: string, suffix: string) =>
    file === '/dev/null' || file === join(logDir, `${app.name}-${suffix}.log`);
  const files: string[] = [];
  if (!isDefault(app.out_file, 'out')) files.push('out_file');
  if (!isDefault(app.err_file, 'error')) files.push('error_file');
  if (app.log_file !== null) files.push('log_file');
  if (files.length > 0)
    out.push({
      kind: 'files',
      field: files.join(', '),
      instead: 'no log files: output goes to stdout and stderr',
    });
  const dated: string[] = [];
  if (app.time) dated.push('time');
  if (app.log_date_format !== LOG_DEFAULTS.log_date_format) dated.push('log_date_format');
  if (dated.length > 0)
    out.push({
      kind: 'dates',
      field: dated.join(', '),
      instead: 'lines are not dated (the log collector dates them; --log-format json gives each a time)',
    });
  if (app.log_type !== LOG_DEFAULTS.log_type)
    out.push({
      kind: 'log_type',
      field: 'log_type',
      instead: '--log-format json makes every line a JSON object',
    });
  const rotation: string[] = [];
  if (app.max_size !== LOG_DEFAULTS.max_size) rotation.push('max_size');
  if (app.retain !== LOG_DEFAULTS.retain) rotation.push('retain');
  if (app.compress !== LOG_DEFAULTS.compress) rotation.push('compress');
  if (app.rotate_interval !== LOG_DEFAULTS.rotate_interval) rotation.push('rotate_interval');
  if (rotation.length > 0)
    out.push({
      kind: 'rotation',
      field: rotation.join(', '),
      instead: "no rotation: the container's log driver rotates",
    });
  if (app.notify !== null && (app.notify.webhook.length > 0 || app.notify.exec.length > 0))
    out.push({
      kind: 'notify',
      field: 'notify',
      instead: "no alerts are sent: the orchestrator's alerting sees the exits and failed probes",
    });
  return out;
}
