// The listings in PM2's shape and words: jlist (one line of JSON), prettylist (util.inspect, PM2's own
// output) and ls (PM2's table). Free of commander: main.ts runs them on its fast path.
import { userInfo } from 'node:os';
import { withClient } from '../../cli/session.js';
import { pm2List, pm2Text } from '../list.js';
import { renderPm2Table } from './table.js';

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '');
  }
}

// jlist and prettylist: the daemon sends the text (pm2.list), the CLI writes it.
export const jlist = () => withClient(async (c) => process.stdout.write(await pm2Text(c, false)));
export const prettylist = () => withClient(async (c) => process.stdout.write(await pm2Text(c, true)));
export const ls = () =>
  withClient(async (c) => process.stdout.write(renderPm2Table(await pm2List(c), Date.now(), userName())));
