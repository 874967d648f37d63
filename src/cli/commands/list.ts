import { type Command, InvalidArgumentError } from 'commander';
import { parseSort, SORT_KEYS, type Sort } from '../render/sort.js';
import { jlist, list, prettylist } from './list-actions.js';

function sortOption(value: string): Sort {
  const sort = parseSort(value);
  if (sort === null)
    throw new InvalidArgumentError(
      `expected ${SORT_KEYS.join(', ')}, optionally followed by :asc or :desc (memory:desc), got "${value}"`,
    );
  return sort;
}

export function register(program: Command): void {
  program
    .command('list')
    .aliases(['ls', 'status', 'l'])
    .description('show every process: id, name, namespace, mode, pid, status, restarts, uptime, cpu, memory')
    .option('--sort <key[:desc]>', `order the rows by ${SORT_KEYS.join(', ')} (id by default)`, sortOption)
    .action((opts: { sort?: Sort }) => list(opts));
  program
    .command('jlist')
    .description('print the process list as JSON (one object per instance; the contract is in docs/cli.md)')
    .action(jlist);
  program.command('prettylist').description('print the process list as indented JSON').action(prettylist);
}
