// The listings in PM2's shape and words: jlist (one line of JSON), prettylist (util.inspect, PM2's own
// output) and ls (PM2's table). Free of commander: main.ts runs them on its fast path.
import { userInfo } from 'node:os';
import { pm2List, pm2Text } from '../list.js';
import { ifRunning } from './if-running.js';
import { renderPm2Table } from './table.js';

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '');
  }
}

const write = (text: string) => process.stdout.write(text);

// jlist and prettylist: the daemon sends the text (pm2.list), the CLI writes it. No daemon: an empty list,
// and none is started (if-running.ts).
export const jlist = () =>
  ifRunning(
    (c) => pm2Text(c, false),
    () => '[]\n',
  ).then(write);
export const prettylist = () =>
  ifRunning(
    (c) => pm2Text(c, true),
    () => '[]\n',
  ).then(write);
export const ls = () =>
  ifRunning(pm2List, () => []).then((entries) => write(renderPm2Table(entries, Date.now(), userName())));
