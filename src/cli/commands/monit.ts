// `tend monit`: the terminal dashboard. Its code (ink, React) is a separate ESM bundle, dist/monit.mjs,
// imported only here: every other command, and the listing fast path, load none of it.
import type { Command } from 'commander';
import { TendError } from '../../protocol/errors.js';

/** From the CommonJS bundle: the sibling ESM bundle. From source (tsx): the module itself. */
const MONIT = import.meta.url.endsWith('.cjs')
  ? new URL('./monit.mjs', import.meta.url).href
  : '../../monit/main.js';

export function register(program: Command): void {
  program
    .command('monit')
    .description('terminal dashboard: processes with live CPU and memory, logs of the selected one')
    .addHelpText('after', '\nKeys: ↑/↓ or k/j select, PgUp/PgDn, g/G first/last, q or Ctrl-C quit.')
    .action(async () => {
      if (!process.stdin.isTTY || !process.stdout.isTTY)
        throw new TendError('TEND_ERR_NOT_A_TTY', { command: 'tend monit' });
      const { runMonit } = (await import(MONIT)) as typeof import('../../monit/main.js');
      await runMonit();
    });
}
