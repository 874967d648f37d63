// The listing commands' actions, importable without commander (main.ts runs them on its fast path).
import { pm2Text } from '../../pm2/list.js';
import { type Sort, sortProcesses } from '../render/sort.js';
import { printTable, withClient } from '../session.js';

/** `--format`: tend's jlist contract (docs/cli.md), or PM2's shape (docs/pm2.md). */
export type ListFormat = 'tend' | 'pm2';

export const list = (opts: { sort?: Sort } = {}) =>
  withClient(async (c) => {
    const { processes } = await c.call('process.list');
    printTable(opts.sort ? sortProcesses(processes, opts.sort) : processes);
  });

export const jlist = (opts: { format?: ListFormat } = {}) =>
  withClient(async (c) => {
    if (opts.format === 'pm2') process.stdout.write(await pm2Text(c, false));
    else process.stdout.write(`${JSON.stringify((await c.call('process.list')).processes)}\n`);
  });

export const prettylist = (opts: { format?: ListFormat } = {}) =>
  withClient(async (c) => {
    if (opts.format === 'pm2') process.stdout.write(await pm2Text(c, true));
    else process.stdout.write(`${JSON.stringify((await c.call('process.list')).processes, null, 2)}\n`);
  });
