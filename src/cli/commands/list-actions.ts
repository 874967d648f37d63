// The listing commands' actions, importable without commander (main.ts runs them on its fast path).
import { type Sort, sortProcesses } from '../render/sort.js';
import { printTable, withClient } from '../session.js';

export const list = (opts: { sort?: Sort } = {}) =>
  withClient(async (c) => {
    const { processes } = await c.call('process.list');
    printTable(opts.sort ? sortProcesses(processes, opts.sort) : processes);
  });

export const jlist = () =>
  withClient(async (c) => {
    process.stdout.write(`${JSON.stringify((await c.call('process.list')).processes)}\n`);
  });

export const prettylist = () =>
  withClient(async (c) => {
    process.stdout.write(`${JSON.stringify((await c.call('process.list')).processes, null, 2)}\n`);
  });
