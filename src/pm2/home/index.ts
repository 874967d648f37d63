// PM2's home as tend-pm2 uses it (issue 17 §1): `$PM2_HOME` (default ~/.pm2) is the daemon's TEND_HOME, with
// PM2's layout in it (logs/<name>-out.log, pids/, dump.pm2 + dump.pm2.bak). Contract stub: the PM2-home
// helper implements the layout and the dump; the tend-pm2 CLI helper calls these.
import type { Pm2Entry } from '../jlist-entry.js';

export { pm2Home } from '../dump-read.js';

/** Makes `home` ready for tend-pm2 (PM2's layout, what the daemon needs to know it is a PM2 home). */
export function preparePm2Home(_home: string): void {}

/** `pm2 save`: writes `$PM2_HOME/dump.pm2` from the running list (the previous one kept as dump.pm2.bak). */
export async function savePm2Dump(_home: string, _entries: readonly Pm2Entry[]): Promise<string> {
  throw new Error('savePm2Dump: not implemented yet');
}

/** What `pm2 resurrect` starts: apps as `app.start` takes them, and notices (a corrupt dump, the .bak used). */
export interface Pm2Resurrect {
  readonly apps: readonly Record<string, unknown>[];
  readonly notices: readonly string[];
}

/** `pm2 resurrect`: reads dump.pm2 (a corrupt one is reported, the .bak used, the broken file replaced). */
export function loadPm2Dump(_home: string): Pm2Resurrect {
  throw new Error('loadPm2Dump: not implemented yet');
}
