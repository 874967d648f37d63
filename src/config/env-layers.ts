// The environment of an app, built from layers, lowest first (docs/config.md, "Environment"):
//
//   base        the caller's environment at the first start (the shell of `tend start`)
//   env_file    the dotenv files, in the order given (a later file wins)
//   env         the app's `env` (and `port`), then `env_<name>` selected by --env
//   update      with --update-env: the caller's current environment, on top of everything
//
// tend's per-instance variables (NODE_APP_INSTANCE, TEND_*, pm_id) are added at spawn (supervisor/launch.ts)
// and win over every layer. With --update-env the current environment is the base too: a variable removed
// from the shell is gone, nothing from the first start lingers.

import { readFileSync, statSync } from 'node:fs';
import * as z from '../protocol/zod.js';
import { parseDotenv } from './dotenv.js';
import type { ConfigIssue } from './issues.js';
import { resolvePath } from './paths.js';

const ENV_FILE = 'expected a file path or a list of file paths';
/** `env_file`: one path or a list; a single one is wrapped (issues.ts reports it at the field itself). */
export function envFileField() {
  return z.pipe(
    z.transform((v: unknown) => (Array.isArray(v) ? v : [v])),
    z.array(z.string({ error: ENV_FILE }).check(z.minLength(1, { error: ENV_FILE }))),
  );
}

const MAX_ENV_FILE = 1024 * 1024;

export interface EnvLayers {
  base: Readonly<Record<string, string>>;
  files: Readonly<Record<string, string>>;
  app: Readonly<Record<string, string>>;
  update: Readonly<Record<string, string>> | null;
}

export function composeEnv(layers: EnvLayers): Record<string, string> {
  return { ...(layers.update ?? layers.base), ...layers.files, ...layers.app, ...layers.update };
}

/** Absolute paths of an app's env files: relative to its cwd, `~` expanded. */
export function envFilePaths(written: readonly string[] | undefined, cwd: string, home: string): string[] {
  return (written ?? []).map((p) => resolvePath(cwd, p, home));
}

/**
 * Reads and parses the env files; every unreadable file and every malformed line is an issue at
 * `<location>.env_file` naming the path (and the line). Synchronous: called while normalising.
 */
export function readEnvFiles(
  paths: readonly string[],
  location: string,
): { vars: Record<string, string>; issues: ConfigIssue[] } {
  const vars: Record<string, string> = {};
  const issues: ConfigIssue[] = [];
  const at = `${location}.env_file`;
  for (const file of paths) {
    if (/^\/(dev\/(fd\/|std(in|out|err)$)|proc\/(self|thread-self)\/)/.test(file)) {
      // These name the reader's own descriptors, and the reader is the daemon, not the caller's shell.
      issues.push({
        path: at,
        message: `cannot read ${JSON.stringify(file)}: not a regular file (pipes are not read)`,
      });
      continue;
    }
    let text: string;
    try {
      // Checked first: reading a FIFO (a `<(…)` process substitution) would block the daemon, and a huge
      // file is not an env file.
      const st = statSync(file);
      if (!st.isFile()) {
        const kind = st.isDirectory() ? 'it is a directory' : 'not a regular file (pipes are not read)';
        issues.push({ path: at, message: `cannot read ${JSON.stringify(file)}: ${kind}` });
        continue;
      }
      if (st.size > MAX_ENV_FILE) {
        issues.push({ path: at, message: `${JSON.stringify(file)} is larger than 1 MiB: not an env file?` });
        continue;
      }
      text = readFileSync(file, 'utf8');
    } catch (err) {
      issues.push({ path: at, message: `cannot read ${JSON.stringify(file)}: ${reason(err)}` });
      continue;
    }
    const parsed = parseDotenv(text);
    for (const p of parsed.problems) issues.push({ path: at, message: `${file}:${p.line}: ${p.message}` });
    Object.assign(vars, parsed.vars);
  }
  return { vars, issues };
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? String(err);
}
