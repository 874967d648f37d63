import { type Command, InvalidArgumentError } from 'commander';
import { parseSort, SORT_KEYS, type Sort } from '../render/sort.js';
import { jlist, type ListFormat, list, prettylist } from './list-actions.js';

function formatOption(value: string): ListFormat {
  if (value === 'tend' || value === 'pm2') return value;
  throw new InvalidArgumentError(
    `expected "tend" (docs/cli.md) or "pm2" (PM2's shape, docs/pm2.md), got "${value}"`,
  );
}

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
  const format = '--format <tend|pm2>';
  const formatHelp = "tend's fields (default), or PM2's shape: pm_id, monit, pm2_env (docs/pm2.md)";
  program
    .command('jlist')
    .description('print the process list as JSON (one object per instance; the contract is in docs/cli.md)')
    .option(format, formatHelp, formatOption)
    .action((opts: { format?: ListFormat }) => jlist(opts));
  program
    .command('prettylist')
    .description(
      'print the process list as indented JSON (with --format pm2: as PM2 prints it, util.inspect)',
    )
    .option(format, formatHelp, formatOption)
    .action((opts: { format?: ListFormat }) => prettylist(opts));
}
