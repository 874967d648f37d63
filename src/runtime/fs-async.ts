// The daemon's asynchronous file operations: Node's callback API wrapped in promises. node:fs/promises is
// not used by anything the daemon loads: the first import of it costs a process ~0.7 MiB RSS for good
// (its FileHandle machinery pulls in readline and more of Node's own code; measured on Node 20 against a
// process that already serves a socket and spawns children), and the daemon lives for months. The CLI and
// tests may use node:fs/promises freely.
import * as fs from 'node:fs';
import { promisify } from 'node:util';

export const readFile: {
  (file: string, encoding: 'utf8'): Promise<string>;
  (file: string): Promise<Buffer>;
} = promisify(fs.readFile) as never;
export const writeFile = promisify(fs.writeFile) as (
  file: string,
  data: string | Uint8Array,
  options?: { mode?: number; flag?: number },
) => Promise<void>;
export const rename = promisify(fs.rename);
export const unlink = promisify(fs.unlink);
export const link = promisify(fs.link);
export const stat = promisify(fs.stat) as (file: string) => Promise<fs.Stats>;
export const readdir = promisify(fs.readdir) as (dir: string) => Promise<string[]>;

const open = promisify(fs.open);
const close = promisify(fs.close);
const fsync = promisify(fs.fsync);

/**
 * Writes the whole content to `file` (created with `mode`, truncated) and fsyncs it before closing. Its
 * files are tend's own, in the home: a symbolic link in their place is refused (O_NOFOLLOW), not followed.
 */
export async function writeFileDurably(file: string, content: string, mode: number): Promise<void> {
  const { O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW } = fs.constants;
  const fd = await open(file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode);
  try {
    await writeFile(fd as never, content);
    await fsync(fd);
  } finally {
    await close(fd);
  }
}

/** fsync of a directory, so that renames inside it survive a power loss. */
export async function syncDir(dir: string): Promise<void> {
  const fd = await open(dir, fs.constants.O_RDONLY);
  try {
    await fsync(fd);
  } finally {
    await close(fd);
  }
}
