// PM2's saved process list (`pm2 save` writes `$PM2_HOME/dump.pm2`): where it is, and its entries, checked
// enough to import (each an object with a name and a script). Anything else is TEND_ERR_PM2_DUMP, naming
// the file and what is wrong, with PM2's backup (`dump.pm2.bak`) as the way out.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { TendError } from '../protocol/errors.js';

/** One saved instance, as PM2 wrote it (PM2's field names; an app with n instances has n entries). */
export type Pm2DumpEntry = Readonly<Record<string, unknown>> & { name: string; pm_exec_path: string };

/** PM2's home: `$PM2_HOME`, or `~/.pm2`. */
export function pm2Home(env: NodeJS.ProcessEnv = process.env): string {
  return env.PM2_HOME ? resolve(env.PM2_HOME) : join(env.HOME || homedir(), '.pm2');
}

export function defaultDumpPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(pm2Home(env), 'dump.pm2');
}

export function readPm2Dump(file: string): Pm2DumpEntry[] {
  const fail = (detail: string) => new TendError('TEND_ERR_PM2_DUMP', { file, detail });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(
      code === 'ENOENT'
        ? 'no such file (PM2 writes it with "pm2 save"; give its path: tend import pm2 <file>)'
        : `cannot read it (${code ?? (err as Error).message})`,
    );
  }
  return parsePm2Dump(text, fail);
}

/** The entries of a dump's text; `fail` makes the error (it names the file). */
export function parsePm2Dump(text: string, fail: (detail: string) => Error): Pm2DumpEntry[] {
  const backup = `PM2 keeps the previous list as dump.pm2.bak: import that file instead`;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw fail(
      text.trim() === ''
        ? `the file is empty (${backup})`
        : `not JSON (${(err as Error).message}; ${backup})`,
    );
  }
  if (!Array.isArray(data)) throw fail(`expected a list of apps (a JSON array), got ${typeName(data)}`);
  data.forEach((entry, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      throw fail(`[${i}]: expected an app (an object), got ${typeName(entry)}`);
    const e = entry as Record<string, unknown>;
    if (typeof e.name !== 'string' || e.name === '')
      throw fail(`[${i}].name: expected the app's name (a string)`);
    if (typeof e.pm_exec_path !== 'string' || e.pm_exec_path === '')
      throw fail(`[${i}] (${e.name}).pm_exec_path: expected the script's path (a string)`);
  });
  return data as Pm2DumpEntry[];
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
