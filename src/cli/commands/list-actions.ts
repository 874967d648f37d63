// The listing commands' actions, importable without commander (main.ts runs them on its fast path).
import { printTable, withClient } from '../session.js';

export const list = () =>
  withClient(async (c) => {
    printTable((await c.call('process.list')).processes);
  });

export const jlist = () =>
  withClient(async (c) => {
    process.stdout.write(`${JSON.stringify((await c.call('process.list')).processes)}\n`);
  });

export const prettylist = () =>
  withClient(async (c) => {
    process.stdout.write(`${JSON.stringify((await c.call('process.list')).processes, null, 2)}\n`);
  });
