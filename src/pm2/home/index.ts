// PM2's home as tend-pm2 uses it (issue 17 §1): `$PM2_HOME` (default ~/.pm2) is the daemon's TEND_HOME, with
// PM2's layout in it: logs/<name>-out.log (and `-<pm_id>` where PM2 adds it), pids/<name>-<pm_id>.pid while a
// process runs, dump.pm2 + dump.pm2.bak. The daemon learns it runs a PM2 home from the marker file
// preparePm2Home writes (marker.ts); the layout itself is applied daemon side (pid-files.ts, log names).
// What the tend-pm2 CLI calls; nothing here is loaded by `tend` or the daemon unless they need it.
import { join } from 'node:path';
import { homePaths } from '../../protocol/home.js';
import { ensureHome, ensurePrivateDir } from '../../runtime/private-dir.js';
import { writeMarker } from './marker.js';

export { pm2Home } from '../dump-read.js';
export { loadPm2Dump, type Pm2Resurrect, type SavedPm2App } from './dump-load.js';
export { pm2DumpEntries, pm2DumpPath, savePm2Dump } from './dump-write.js';
export { isPm2Home, MARKER } from './marker.js';
export { pm2FileName, pm2PidPath } from './names.js';

/**
 * Makes `home` ready for tend-pm2: a private home (created 0700 if missing; an existing ~/.pm2 of PM2's is
 * tightened from 0755 to 0700, refused if others can write it), logs/ and pids/, and the marker that tells a
 * daemon started there to keep PM2's layout. Call it before the first connection (the daemon reads the
 * marker at its start).
 */
export function preparePm2Home(home: string): void {
  ensureHome(homePaths(home), { create: true, createLogs: true });
  ensurePrivateDir(join(home, 'pids'), { what: 'the pids directory', fixWritable: true });
  writeMarker(home);
}
