// Which files one instance of an app writes to: the app's own, or with `-<id>` before the extension when the
// app has several instances and does not merge their logs (merge_logs: the instances share the app's files,
// and the log writers keep their lines whole).
// In a PM2 home (issue 17, src/pm2/home) PM2's rule instead, as PM2 7 does it: a cluster-mode app's instances
// have their `-<id>` even when there is one of them (`api-out-0.log`), unless merge_logs.
import type { AppSpec } from '../config/spec.js';

/** Whose rule names an instance's files: tend's (the default) or PM2's (a PM2 home). */
export type LogNaming = 'tend' | 'pm2';

export function instanceLogs(
  spec: AppSpec,
  id: number,
  naming: LogNaming = 'tend',
): { out_file: string; err_file: string; log_file: string | null } {
  const several = spec.instances > 1 || (naming === 'pm2' && spec.exec_mode === 'cluster');
  const suffix = several && !spec.merge_logs ? `-${id}` : '';
  return {
    out_file: withSuffix(spec.out_file, suffix),
    err_file: withSuffix(spec.err_file, suffix),
    log_file: spec.log_file === null ? null : withSuffix(spec.log_file, suffix),
  };
}

function withSuffix(file: string, suffix: string): string {
  if (!suffix || file === '/dev/null') return file;
  const dot = file.lastIndexOf('.');
  const slash = file.lastIndexOf('/');
  return dot > slash ? `${file.slice(0, dot)}${suffix}${file.slice(dot)}` : `${file}${suffix}`;
}
