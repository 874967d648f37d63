// The process list in PM2's shape, asked of the daemon (`pm2.list`, built there: daemon-entries.ts): the
// entries for the commands that read them (ls's table, describe), or the final text of jlist and prettylist,
// which the CLI only writes. Used by `tend jlist --format pm2` and tend-pm2 alike; free of commander, so
// both fast paths can run it.
import type { TendClient } from '../client/client.js';
import type { Pm2Entry } from './jlist-entry.js';

export async function pm2List(c: TendClient): Promise<Pm2Entry[]> {
  return (await c.call('pm2.list', { format: 'entries' })).entries ?? [];
}

/** jlist's text (`pretty`: prettylist's). */
export async function pm2Text(c: TendClient, pretty: boolean): Promise<string> {
  return (await c.call('pm2.list', { format: pretty ? 'inspect' : 'json' })).text ?? '';
}
