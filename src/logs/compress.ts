// gzip of a rotated log file, off the event loop: zlib's stream API runs the deflate on libuv's thread pool,
// so the daemon keeps reading pipes and writing logs meanwhile.
import { createReadStream, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { rename, stat, unlink } from '../runtime/fs-async.js';

/** Compresses `path` into `path.gz` (through `path.gz.tmp`), then removes `path`. Returns the new path. */
export async function gzipFile(path: string): Promise<string> {
  const tmp = `${path}.gz.tmp`;
  const out = `${path}.gz`;
  // Loaded on first use: zlib costs the daemon ~1.3 MiB of RSS, and most apps never compress. With require,
  // not import(): in the CommonJS daemon bundle, import() would load Node's ES module loader (~3 MiB more).
  const { createGzip } = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
  try {
    await pipeline(createReadStream(path), createGzip(), createWriteStream(tmp, { mode: 0o600 }));
    // Retention may have deleted the original meanwhile (its generation aged out): then so does the copy.
    await stat(path);
    await rename(tmp, out);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await unlink(path).catch(() => {});
  return out;
}
