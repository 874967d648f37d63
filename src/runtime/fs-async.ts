// Promise versions of the few file calls the daemon makes, from node:fs's callbacks. node:fs/promises would
// do the same, but loading it costs every daemon ~0.7 MiB RSS for as long as it runs (it pulls in readline
// and FileHandle streams; measured: net + child_process 41.9 MiB, + fs/promises 42.6 MiB). The CLI may use
// node:fs/promises freely.
import fs from 'node:fs';
import { promisify } from 'node:util';

export const readFile = promisify(fs.readFile);
export const writeFile = promisify(fs.writeFile);
export const rename = promisify(fs.rename);
export const unlink = promisify(fs.unlink);
export const link = promisify(fs.link);
export const stat = promisify(fs.stat);
export const readdir = promisify(fs.readdir);
export const open = promisify(fs.open);
export const close = promisify(fs.close);
export const fsync = promisify(fs.fsync);
const writeRaw = promisify(fs.write);

/** Writes the whole string at the file's current position (fs.write may write less than asked). */
export async function writeAll(fd: number, content: string): Promise<void> {
  const data = Buffer.from(content);
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await writeRaw(fd, data, done, data.length - done);
    done += bytesWritten;
  }
}
