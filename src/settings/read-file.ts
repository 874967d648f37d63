// Reading a file of tend's own in the home (the settings file, web.json) as carefully as the others: no
// symbolic link followed (O_NOFOLLOW), a regular file, owned by the user, writable by nobody else.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { TendError } from '../protocol/errors.js';
import { currentUid, userName } from '../runtime/private-dir.js';

/** The file's text, or null when it does not exist. */
export function readPrivateFile(path: string, what: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw unsafe(path, what, 'is a symbolic link', `replace it with the file itself`);
    throw unsafe(path, what, `cannot be read (${code})`, `check its permissions`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw unsafe(path, what, 'is not a regular file', `remove it`);
    const uid = currentUid();
    if (uid !== null && st.uid !== uid)
      throw unsafe(
        path,
        what,
        `is owned by ${userName(st.uid)}, not by you`,
        `remove it, or chown it to yourself`,
      );
    if (st.mode & 0o022)
      throw unsafe(
        path,
        what,
        `can be written by other users (mode ${(st.mode & 0o777).toString(8)})`,
        `run "chmod go-w ${path}"`,
      );
    // A BOM is common in files saved by Windows editors and breaks JSON.parse.
    return readFileSync(fd, 'utf8').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

function unsafe(path: string, what: string, problem: string, fix: string): TendError {
  return new TendError('TEND_ERR_HOME_UNSAFE', { path, what, problem, fix });
}
