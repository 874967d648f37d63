// `tend scale <app> <n|+n>`: set (or add to) the number of instances; new ones start, the highest ones stop
// gracefully and are deleted.
import { type Command, InvalidArgumentError } from 'commander';
import { TendError } from '../../protocol/errors.js';
import { printTable, withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('scale')
    .argument('<app>', 'the app name')
    .argument('<number>', 'instances wanted, or +n to add n', count)
    .description('scale an app to n instances (+n adds n); extra instances are stopped gracefully')
    .action(async (name: string, wanted: { add: boolean; n: number }) => {
      await withClient(async (c) => {
        let instances = wanted.n;
        if (wanted.add) {
          const { processes } = await c.call('process.list');
          const current = processes.filter((p) => p.name === name).length;
          if (current === 0) throw new TendError('TEND_ERR_TARGET_NOT_FOUND', { target: [name] });
          instances = current + wanted.n;
        }
        await c.call('app.scale', { name, instances });
        printTable((await c.call('process.list')).processes);
      });
    });
}

function count(value: string): { add: boolean; n: number } {
  const m = /^(\+?)(\d+)$/.exec(value);
  const n = Number(m?.[2]);
  if (!m || (!m[1] && n < 1) || n > 10_000)
    throw new InvalidArgumentError(
      `expected a number of instances from 1 to 10000, or +n to add n, got "${value}" (to remove every instance: tend delete)`,
    );
  return { add: m[1] === '+', n };
}
