// `tend save`: the process list in $TEND_HOME/dump.json (PM2 calls its file dump.pm2). Written so that a
// failure at any point leaves the previous dump readable: the new content goes to a temp file, is fsynced,
// and only then does the old dump become dump.json.bak and the temp file dump.json (rename is atomic). A
// full disk fails the first step, before anything is renamed.
import { dirname, join } from 'node:path';
import { TendError } from '../protocol/errors.js';
import { readFile, rename, syncDir, unlink, writeFileDurably } from '../runtime/fs-async.js';

export function dumpPath(home: string): string {
  return join(home, 'dump.json');
}

/** The file operations save needs; tests inject failures (ENOSPC) here. */
export interface DumpFs {
  /** Writes the whole content and fsyncs it. */
  writeDurably(file: string, content: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  readFile(file: string): Promise<string>;
  /** fsync of a directory, so the renames survive a power loss too. */
  syncDir(dir: string): Promise<void>;
}

export const realDumpFs: DumpFs = {
  writeDurably: (file, content) => writeFileDurably(file, content, 0o600),
  rename: (from, to) => rename(from, to),
  unlink: (file) => unlink(file),
  readFile: (file) => readFile(file, 'utf8'),
  syncDir: (dir) => syncDir(dir),
};

/** Writes `content` (JSON text) as the dump; the previous dump, if it parses, becomes dump.json.bak. */
export async function writeDump(file: string, content: string, fs: DumpFs = realDumpFs): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeDurably(tmp, content);
  } catch (err) {
    await fs.unlink(tmp).catch(() => {});
    throw new TendError('TEND_ERR_SAVE_FAILED', { file, reason: reasonOf(err) });
  }
  try {
    // Only a readable dump is worth keeping as the backup: never replace a good .bak with a damaged file.
    if (await parses(fs, file)) await fs.rename(file, `${file}.bak`);
    await fs.rename(tmp, file);
    await fs.syncDir(dirname(file)).catch(() => {});
  } catch (err) {
    await fs.unlink(tmp).catch(() => {});
    throw new TendError('TEND_ERR_SAVE_FAILED', { file, reason: reasonOf(err) });
  }
}

async function parses(fs: DumpFs, file: string): Promise<boolean> {
  try {
    JSON.parse(await fs.readFile(file));
    return true;
  } catch {
    return false;
  }
}

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOSPC') return 'no space left on device (ENOSPC)';
  return e.code ? `${e.code}: ${e.message}` : String(err);
}
