// Which files one instance of an app writes to: the app's own, or with `-<id>` before the extension when the
// app has several instances and does not merge their logs (merge_logs: the instances share the app's files,
// and the log writers keep their lines whole).
import type { AppSpec } from '../config/spec.js';

export function instanceLogs(
  spec: AppSpec,
  id: number,
): { out_file: string; err_file: string; log_file: string | null } {
  const suffix = spec.instances > 1 && !spec.merge_logs ? `-${id}` : '';
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
