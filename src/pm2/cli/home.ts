// tend-pm2's home: `$PM2_HOME` (default ~/.pm2) is the daemon's TEND_HOME, set before anything connects, so
// `TEND_HOME=~/.pm2 tend ls` and `tend-pm2 ls` see the same daemon and the same apps. The layout inside it
// (PM2's log names, pids/, dump.pm2) is ../home's.
import { pm2Home, preparePm2Home } from '../home/index.js';

export function enterPm2Home(env: NodeJS.ProcessEnv = process.env): string {
  const home = pm2Home(env);
  env.TEND_HOME = home;
  preparePm2Home(home);
  return home;
}

/** `-s`/`--silent` anywhere, or PM2_SILENT=true: no chatter on stdout (listings and errors still print). */
export function isSilent(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const fromEnv = env.PM2_SILENT;
  if (fromEnv !== undefined && fromEnv !== '' && fromEnv !== 'false' && fromEnv !== '0') return true;
  const end = argv.indexOf('--');
  const own = end === -1 ? argv : argv.slice(0, end);
  return own.includes('-s') || own.includes('--silent');
}
