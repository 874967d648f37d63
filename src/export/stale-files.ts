// `--out DIR` again after the ecosystem file changed: a file an earlier export of the same file wrote there,
// which this one no longer produces, stays as it was (eighth audit: with its cron_restart gone, report.timer
// stayed in the directory with the old header and OnCalendar=, and, once enabled, kept starting the job; an
// app removed or renamed left its unit the same way). Such a file is warned, by name, with the commands that
// remove it; it is never removed here: it may be enabled, running, or kept on purpose.
// Earlier means the same source file (the header names it, absolute), the same target, and the same --only
// (an export of some apps, `--only api`, does not make the others' files stale; header.ts exportOrigin).
import { join } from 'node:path';
import { exportOrigin, onlyWord, sameSource } from './header.js';
import type { ExportFile, ExportTarget, ExportWarning } from './model.js';
import { shownPath, tendExportsIn } from './out-dir.js';
import { shellWord } from './shell-words.js';

export interface StaleFilesInput {
  readonly target: ExportTarget;
  /** The ecosystem file, absolute (as the header names it), and as the user gave it (for the message). */
  readonly source: string;
  /** The same file as the shell named it, through a link (header.ts sameSource), or null. */
  readonly givenAs?: string | null;
  readonly file: string;
  readonly only: readonly string[] | null;
  /** --out, absolute (to read) and as given (for the commands printed). */
  readonly dir: string;
  readonly out: string;
  /** What this export wrote there. */
  readonly files: readonly ExportFile[];
}

export function staleFileWarnings(input: StaleFilesInput): ExportWarning[] {
  const produced = new Set(input.files.map((f) => f.name));
  const only = onlyWord(input.only);
  return tendExportsIn(input.dir)
    .filter(({ name, head }) => {
      if (produced.has(name)) return false;
      const origin = exportOrigin(head);
      return (
        origin !== null &&
        origin.target === input.target &&
        sameSource(origin, input.source, input.givenAs ?? null) &&
        origin.only === only
      );
    })
    .map(({ name }) => {
      const path = join(input.out, name);
      const rm = `rm ${shellWord(path)}`;
      // A unit may be enabled (its links in a .wants directory) or active: disabled and stopped first, while
      // its file is still there to name.
      const how = /\.(service|timer)$/.test(name)
        ? `if it was enabled: systemctl disable --now ${shellWord(name)}; then ${rm}`
        : rm;
      return {
        app: '*',
        field: '--out',
        message: `${shownPath(path)} was written by an earlier export of ${shownPath(input.file)} and is not produced now: remove it (${how})`,
      };
    });
}
