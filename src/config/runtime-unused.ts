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
  const isDefault = (file: string, suffix: string) =>
    file === '/dev/null' || file === join(logDir, `${app.name}-${suffix}.log`);
  const set = (fields: Record<string, boolean>) => Object.keys(fields).filter((f) => fields[f]);
  const groups: [UnusedField['kind'], string[], string][] = [
    [
      'files',
      set({
        out_file: !isDefault(app.out_file, 'out'),
        error_file: !isDefault(app.err_file, 'error'),
        log_file: app.log_file !== null,
      }),
      'no log files: output goes to stdout and stderr',
    ],
    [
      'dates',
      set({ time: app.time, log_date_format: app.log_date_format !== LOG_DEFAULTS.log_date_format }),
      'lines are not dated (the log collector dates them; --log-format json gives each a time)',
    ],
    [
      'log_type',
      set({ log_type: app.log_type !== LOG_DEFAULTS.log_type }),
      '--log-format json makes every line a JSON object',
    ],
    [
      'rotation',
      set({
        max_size: app.max_size !== LOG_DEFAULTS.max_size,
        retain: app.retain !== LOG_DEFAULTS.retain,
        compress: app.compress !== LOG_DEFAULTS.compress,
        rotate_interval: app.rotate_interval !== LOG_DEFAULTS.rotate_interval,
      }),
      "no rotation: the container's log driver rotates",
    ],
    [
      'notify',
      set({ notify: app.notify !== null && (app.notify.webhook.length > 0 || app.notify.exec.length > 0) }),
      "no alerts are sent: the orchestrator's alerting sees the exits and failed probes",
    ],
  ];
  return groups
    .filter(([, fields]) => fields.length > 0)
    .map(([kind, fields, instead]) => ({ kind, field: fields.join(', '), instead }));
}
