// Where the ecosystem file is inside the image (k8s and compose run `tend-runtime <file>` there). One rule:
// the image is built from the current directory (docs/kubernetes.md's Dockerfile copies it to its WORKDIR,
// /app; compose's `build:` is that directory), so the file is at its path relative to the current
// directory: `tend export k8s config/ecosystem.config.js` runs `tend-runtime config/ecosystem.config.js`.
// A file outside the current directory is not in such an image: its name alone is written, and a warning
// says the image must hold it there.
import { basename, isAbsolute, relative, sep } from 'node:path';
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
