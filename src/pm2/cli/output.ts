// What tend-pm2 prints after an action: a line per action (PM2's "[PM2] …" chatter, as [tend-pm2]) and the
// table, both on stdout and both left out with -s / PM2_SILENT. Errors and warnings go to stderr always.
import { userInfo } from 'node:os';
import type { TendClient } from '../../client/client.js';
import { pm2List } from '../list.js';
import { renderPm2Table } from './table.js';

let silent = false;

export function setSilent(value: boolean): void {
  silent = value;
}

export function isQuiet(): boolean {
  return silent;
}

export function say(message: string): void {
  if (!silent) process.stdout.write(`[tend-pm2] ${message}\n`);
}

export async function showTable(c: TendClient): Promise<void> {
  if (silent) return;
  let user = '';
  try {
    user = userInfo().username;
  } catch {}
  process.stdout.write(renderPm2Table(await pm2List(c), Date.now(), user));
}
