// Where the ecosystem file is inside the image (k8s and compose run `tend-runtime <file>` there). One rule:
// the image is built from the current directory (docs/kubernetes.md's Dockerfile copies it to its WORKDIR,
// /app; compose's `build:` is that directory), so the file is at its path relative to the current
// directory: `tend export k8s config/ecosystem.config.js` runs `tend-runtime config/ecosystem.config.js`.
// A file outside the current directory is not in such an image: its name alone is written, and a warning
// says the image must hold it there.
import { basename, isAbsolute, relative, sep } from 'node:path';
import type { AppSpec } from '../config/spec.js';
import type { ExportInput, ExportWarning } from './model.js';

/** The path relative to `from` with `/` separators, or null when it is not inside `from`. */
export function inside(from: string, path: string): string | null {
  const rel = relative(from, path);
  if (rel === '') return '.';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/** The ecosystem file's path in the image (relative to its WORKDIR), and a warning when it is a guess. */
export function sourceInImage(input: ExportInput): { path: string; warning: ExportWarning | null } {
  const rel = inside(input.cwd, input.source);
  if (rel !== null) return { path: rel, warning: null };
  const path = basename(input.source);
  return {
    path,
    warning: {
      app: '*',
      field: 'ecosystem file',
      message: `${input.source} is outside the current directory (${input.cwd}), the image's build context: the command runs "${path}", which the image must hold in its WORKDIR (run the export from the directory the image is built from)`,
    },
  };
}

/**
 * Warnings for an app whose paths are the host's, not the image's: a `cwd`, `script` or `interpreter` the file
 * gives as an absolute path (the container has it only if the image holds it at that very path), and a cwd
 * outside the build context (`cwd: '../other'`: not in the image). Under tend-runtime in the pod or service
 * the app would fail to start (fifth audit: such an export passed --check, no warning).
 */
export function hostPathWarnings(app: AppSpec, input: ExportInput): ExportWarning[] {
  const out: ExportWarning[] = [];
  const fields: [string, string | null][] = [
    ['cwd', app.cwd],
    ['script', app.script],
    ['interpreter', app.interpreter],
  ];
  for (const [field, value] of fields) {
    if (value === null) continue;
    if (input.absolutePaths.includes(value))
      out.push({
        app: app.name,
        field,
        message: `${value} is an absolute path of this machine: the container has it only if the image holds it at that same path (write it relative to the ecosystem file, inside the build context ${input.cwd})`,
      });
    else if (field === 'cwd' && inside(input.cwd, value) === null)
      out.push({
        app: app.name,
        field,
        message: `${value} is outside the current directory (${input.cwd}), the image's build context: the image does not hold it`,
      });
  }
  return out;
}

/**
 * The app's cwd as a path relative to the image's WORKDIR (where the kubelet runs an exec probe; tend runs it
 * in the app's cwd): `.` when it is the WORKDIR itself, null when the directory is not in the image as such
 * (outside the build context, or given as an absolute host path).
 */
export function cwdInImage(app: AppSpec, input: ExportInput): string | null {
  if (input.absolutePaths.includes(app.cwd)) return null;
  return inside(input.cwd, app.cwd);
}
