// File names PM2 gives in its home, by observation of PM2 7: an app's name with every character other than
// letters, digits, `.` and `-` turned into `-` (`my_api` → `my-api-out.log`), and a pid file per instance,
// `pids/<name>-<pm_id>.pid`, whatever the number of instances. Pure: the daemon (log and pid files) and the
// tend-pm2 CLI (`pm_pid_path`) agree through it.
import { join } from 'node:path';

/** The app's name as PM2 writes it in file names. */
export function pm2FileName(name: string): string {
  return name.replace(/[^a-zA-Z0-9.-]/g, '-');
}

/** `$PM2_HOME/pids/<name>-<pm_id>.pid`. */
export function pm2PidPath(home: string, name: string, id: number): string {
  return join(home, 'pids', `${pm2FileName(name)}-${id}.pid`);
}
