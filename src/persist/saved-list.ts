// Reading a saved process list (state.json, dump.json): parse, check the shape, migrate older formats, and
// fall back to the .bak copy when the file is torn or corrupt. A bad file is never read as an empty list:
// the caller gets the reason, to log and to show.

import type { AppSpec } from '../config/spec.js';
import { nestingProblem } from '../protocol/depth.js';
import * as z from '../protocol/zod.js';
import { readFile } from '../runtime/fs-async.js';
import { LIST_FORMAT } from './list-format.js';
import { checkSpec } from './spec-check.js';

export { LIST_FORMAT };

export interface UnitRecord {
  id: number;
  instance: number;
  wanted: 'up' | 'down';
  restarts: number;
  /** Format 2: the unit's process, identified by pid and start time (/proc/<pid>/stat field 22). */
  pid?: number | null;
  starttime?: number | null;
  /** Its process group (a cluster worker's is its primary's) and the start time of the group's leader. */
  pgid?: number | null;
  pgid_starttime?: number | null;
}

export interface SavedApp {
  spec: AppSpec;
  units: UnitRecord[];
}

export interface SavedList {
  format: number;
  written_at: number;
  boot_id: string | null;
  daemon_pid: number | null;
  clean: boolean;
  restore: boolean;
  next_id: number | null;
  apps: SavedApp[];
  /** Apps that could not be read (a damaged spec), by name, with the reason. */
  rejected: string[];
}

export type ReadOutcome =
  | { kind: 'missing' }
  | { kind: 'ok'; list: SavedList; from: string; warnings: string[] }
  | { kind: 'bad'; reasons: string[] };

/** The shape of a saved list, built for each file read and dropped with it (why: config/schema.ts). */
function savedListSchema() {
  const nat = z.number().check(z.int(), z.gte(0));
  const optNum = z.optional(z.nullable(z.number()));
  const unitSchema = z.object({
    id: nat,
    instance: nat,
    wanted: z.enum(['up', 'down']),
    restarts: z._default(nat, 0),
    pid: optNum,
    starttime: optNum,
    pgid: optNum,
    pgid_starttime: optNum,
  });
  return z.object({
    format: z.number().check(z.int(), z.gte(1)),
    written_at: z._default(z.number(), 0),
    boot_id: z._default(z.nullable(z.string()), null),
    daemon_pid: z._default(z.nullable(z.number()), null),
    clean: z._default(z.boolean(), false),
    restore: z._default(z.boolean(), false),
    next_id: z._default(z.nullable(nat), null),
    apps: z.array(z.object({ spec: z.record(z.string(), z.unknown()), units: z.array(unitSchema) })),
  });
}

/** Parses one file's text; throws an Error whose message says what is wrong. */
export function parseSavedList(text: string, reference: AppSpec): SavedList {
  if (text.trim() === '') throw new Error('the file is empty');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (truncated or damaged): ${(err as Error).message}`);
  }
  const deep = nestingProblem(raw);
  if (deep !== null) throw new Error(deep);
  if (Array.isArray(raw)) {
    throw new Error(
      'a JSON array, not a tend process list (a PM2 dump.pm2? start its ecosystem file instead)',
    );
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (typeof format === 'number' && format > LIST_FORMAT) {
    throw new FormatError(`format ${format} is newer than this tend reads (${LIST_FORMAT}): upgrade tend`);
  }
  const parsed = savedListSchema().safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`unexpected content at ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? '?'}`);
  }
  const apps: SavedApp[] = [];
  const rejected: string[] = [];
  for (const app of parsed.data.apps) {
    // Format 1 (units without their processes) needs nothing more: the process fields are optional.
    const checked = checkSpec(app.spec, reference);
    if (typeof checked === 'string') rejected.push(checked);
    else apps.push({ spec: checked, units: app.units });
  }
  return { ...parsed.data, apps, rejected };
}

/** A file of a format this tend does not know: an error of its own (TEND_ERR_DUMP_FORMAT), not "corrupt". */
export class FormatError extends Error {}

/** Reads `file`, or `file.bak` when `file` is missing, torn or corrupt. */
export async function readSavedList(file: string, reference: AppSpec): Promise<ReadOutcome> {
  const reasons: string[] = [];
  const warnings: string[] = [];
  let formatError: FormatError | null = null;
  let found = false;
  for (const candidate of [file, `${file}.bak`]) {
    let text: string;
    try {
      text = await readFile(candidate, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      reasons.push(`${candidate}: cannot read (${code ?? String(err)})`);
      found = true;
      continue;
    }
    found = true;
    try {
      const list = parseSavedList(text, reference);
      if (candidate !== file) {
        warnings.push(`${reasons.at(-1) ?? `${file}: missing`}; using the previous copy ${candidate}`);
      }
      for (const r of list.rejected) warnings.push(`${candidate}: ${r}`);
      return { kind: 'ok', list, from: candidate, warnings };
    } catch (err) {
      if (err instanceof FormatError) formatError ??= err;
      reasons.push(`${candidate}: ${(err as Error).message}`);
    }
  }
  if (formatError && reasons.length === 1) throw formatError;
  return found ? { kind: 'bad', reasons } : { kind: 'missing' };
}
