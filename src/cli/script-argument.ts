// The first argument of `tend start` when it is neither an ecosystem file nor a plain script path: a
// command string (`tend start "python3 -m http.server 8080" --name web`, split as a shell would, without
// expansion) or a directory (its package.json, config/directory-script.ts). PM2 takes both.
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { asName } from '../config/app-name.js';
import { directoryScript } from '../config/directory-script.js';
import { splitArgs } from '../config/split-args.js';
import { TendError } from '../protocol/errors.js';

export interface ScriptArgument {
  script: string;
  args: string[];
  /** Fields the argument implies, unless a flag gives them: the app's name and cwd. */
  defaults: { name?: string; cwd?: string };
  /** What tend made of the argument, said once on stderr. */
  note: string | null;
}

/**
 * Words after `--` go to a script; an ecosystem file's apps have their own (ninth audit: dropped silently).
 * `tend start` and tend-runtime both say it.
 */
export const ARGS_IGNORED_WITH_FILE =
  'the arguments after -- are ignored with an ecosystem file (each app has its own: set args in the file)';

/**
 * null: the argument is an ordinary script or target (start.ts goes on as before). `command`: how the
 * example of an error begins (tend-runtime's own, ninth audit: it showed `tend start`).
 */
export function scriptArgument(first: string, cwd: string, command = 'tend start'): ScriptArgument | null {
  const abs = resolve(cwd, first);
  const stat = statSync(abs, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    const d = directoryScript(abs);
    return {
      script: d.script,
      args: [...d.args],
      // The folder's name made a name (`./my dir` → my-dir), as a script's is (eighth audit).
      defaults: { name: d.name ?? asName(basename(abs)), cwd: abs },
      note: `${first}: running ${d.script === 'npm' ? 'npm start' : d.script} (from ${d.from})`,
    };
  }
  if (stat || !/\s/.test(first.trim())) return null;
  const words = splitArgs(first);
  if (words === null || words.length === 0)
    throw new TendError('TEND_ERR_USAGE', {
      detail: `cannot split the command ${JSON.stringify(first)} (a quote is not closed): write the program first and its arguments after --, e.g. ${command} python3 --name web -- -m http.server 8080`,
    });
  const [script, ...args] = words as [string, ...string[]];
  return { script, args, defaults: {}, note: null };
}
