// `pm2 resurrect` under tend-pm2: `$PM2_HOME/dump.pm2` (PM2's or tend-pm2's) read with dump-read.ts and turned
// into apps by dump-to-apps.ts, as `tend import pm2` does. As PM2 7 does, a damaged or missing dump.pm2 falls
// back to dump.pm2.bak, said in a notice; unlike PM2, the damaged file is not deleted but moved aside
// (dump.pm2.corrupt, for a look) and dump.pm2 becomes the backup's content again, so the next resurrect
// works. Neither readable: TEND_ERR_PM2_DUMP naming both problems. Runs in the CLI: synchronous.
import { closeSync, constants, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { TendError } from '../../protocol/errors.js';
import { type Pm2DumpEntry, parsePm2Dump } from '../dump-read.js';
import { appsFromDump } from '../dump-to-apps.js';
import { pm2DumpPath } from './dump-write.js';
import { readTendPart } from './tend-part.js';

/** An app of the dump as tend-pm2 saved it: its spec and its instances (`daemon.resurrect`'s `list`). */
export interface SavedPm2App {
  readonly spec: Record<string, unknown>;
  readonly units: readonly { id: number; instance: number; wanted: 'up' | 'down'; restarts: number }[];
}

/** What `pm2 resurrect` starts: apps as `app.start` takes them, and what the user should know. */
export interface Pm2Resurrect {
  /** Apps tend-pm2 saved, whole (their tend part, tend-part.ts): put back as saved. */
  readonly saved: readonly SavedPm2App[];
  /** Ecosystem apps (tend's field names) read from PM2's keys: every other app, stopped ones included. */
  readonly apps: readonly Record<string, unknown>[];
  /** A damaged dump and the backup used, settings without a meaning in tend, renamed apps. */
  readonly notices: readonly string[];
  /** Names of the apps the dump has stopped (PM2 resurrects them stopped). */
  readonly stopped: readonly string[];
  /** The file the apps came from (dump.pm2, or dump.pm2.bak). */
  readonly file: string;
}

type Read =
  | { ok: true; text: string; entries: Pm2DumpEntry[] }
  | { ok: false; missing: boolean; detail: string };

function tryRead(file: string): Read {
  let text: string;
  try {
    // O_NOFOLLOW: a file of the home, never read through a link someone planted in its place.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, missing: true, detail: 'no such file' };
    return {
      ok: false,
      missing: false,
      detail: `cannot read it (${code === 'ELOOP' ? 'a symbolic link' : (code ?? String(err))})`,
    };
  }
  try {
    const entries = parsePm2Dump(text, (detail) => new Error(detail));
    return { ok: true, text, entries };
  } catch (err) {
    // dump-read's own hint (import the .bak) is what this function does: keep the problem only.
    const detail = (err as Error).message.replace(/ \(PM2 keeps [^)]*\)|; PM2 keeps [^)]*(?=\))/, '');
    return { ok: false, missing: false, detail };
  }
}

/** Replaces `file` with `text` atomically (temp file, then rename), never writing through a link. */
function replaceFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(
    tmp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    0o600,
  );
  try {
    writeSync(fd, text);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
}

export function loadPm2Dump(home: string, env: NodeJS.ProcessEnv = process.env): Pm2Resurrect {
  const file = pm2DumpPath(home);
  const bak = `${file}.bak`;
  const notices: string[] = [];
  let used = file;
  let read = tryRead(file);
  if (!read.ok) {
    const main = read;
    const backup = tryRead(bak);
    if (!backup.ok) {
      const detail =
        main.missing && backup.missing
          ? 'no such file, and no dump.pm2.bak either (both are written by "pm2 save")'
          : `${main.detail}; dump.pm2.bak: ${backup.detail}`;
      throw new TendError('TEND_ERR_PM2_DUMP', { file, detail });
    }
    read = backup;
    used = bak;
    if (main.missing) {
      replaceFile(file, backup.text);
      notices.push(
        `${file} is missing: the list was read from dump.pm2.bak, and dump.pm2 written again from it`,
      );
    } else {
      const aside = `${file}.corrupt`;
      renameSync(file, aside);
      replaceFile(file, backup.text);
      notices.push(
        `${file} is damaged (${main.detail}): the list was read from dump.pm2.bak; the damaged file was moved to ${aside} and dump.pm2 is the backup again`,
      );
    }
  }
  const { saved, rest } = splitSaved(read.entries, notices);
  const result = appsFromDump(rest, { pm2Home: home, env, fullEnv: true });
  // The home is tend-pm2's TEND_HOME: PM2's logs folder is tend's, so the note that logs move is not true here.
  notices.push(
    ...result.notes.filter((n) => !n.includes("go to tend's logs folder")),
    ...result.ignored.map((l) => `${l}: not restored`),
  );
  return { saved, apps: result.apps, notices, stopped: result.stopped, file: used };
}

/**
 * The apps whose every entry carries a usable tend part become saved apps (their spec, their instances; the
 * restart counts start again from 0, as PM2's resurrect does); the others are read from PM2's keys. An
 * entry whose part cannot be used is said, with what its PM2 keys do not restore.
 */
function splitSaved(
  entries: readonly Pm2DumpEntry[],
  notices: string[],
): { saved: SavedPm2App[]; rest: Pm2DumpEntry[] } {
  const groups = new Map<string, Pm2DumpEntry[]>();
  for (const e of entries) {
    const key = `${String(e.namespace ?? 'default')}\0${e.name}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const saved: SavedPm2App[] = [];
  const rest: Pm2DumpEntry[] = [];
  for (const group of groups.values()) {
    const parts = group.map(readTendPart);
    const usable = parts.flatMap((p) => (p && 'part' in p ? [p.part] : []));
    if (usable.length === group.length && usable.every((p) => p.spec.name === group[0]!.name)) {
      saved.push({
        spec: usable[0]!.spec as unknown as Record<string, unknown>,
        units: usable.map((p) => ({ ...p.unit, restarts: 0 })),
      });
      continue;
    }
    const why = parts.find((p) => p && 'why' in p) as { why: string } | undefined;
    if (why)
      notices.push(
        `${group[0]!.name}: ${why.why}: restored from its PM2 settings; tend's own (probes, depends_on, notify, rotation, …) are not`,
      );
    rest.push(...group);
  }
  return { saved, rest };
}
