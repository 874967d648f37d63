// How a daemon knows its home is PM2's (issue 17 §1): tend-pm2 writes `tend-pm2.json` in the home before it
// talks to the daemon, and the daemon looks for it once, at its start. A file, not an environment variable:
// a plain `tend` pointed at the same home later (TEND_HOME=~/.pm2, a boot service, `tend update`'s successor)
// starts a daemon that keeps PM2's layout too. The home is private (runtime/private-dir.ts): only the user
// can have put the file there; a link or a directory in its place is not taken for it.
import { closeSync, constants, lstatSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const MARKER = 'tend-pm2.json';

/** True when `home` holds tend-pm2's marker (a regular file, not followed through a link). */
export function isPm2Home(home: string): boolean {
  try {
    return lstatSync(join(home, MARKER)).isFile();
  } catch {
    return false;
  }
}

/** Writes the marker (atomically, never through a link) unless it is there already. */
export function writeMarker(home: string): void {
  if (isPm2Home(home)) return;
  const file = join(home, MARKER);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(
    tmp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    0o600,
  );
  try {
    writeSync(fd, `${JSON.stringify({ layout: 'pm2', written_by: 'tend-pm2' })}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
