// `tend save` (alias `dump`): write the process list to $TEND_HOME/dump.json for `tend resurrect`.
import type { Command } from 'commander';
import { withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('save')
    .alias('dump')
    .description('save the process list to $TEND_HOME/dump.json (previous one kept as dump.json.bak)')
    .option('--force', 'save even an empty process list over a dump that holds apps')
    .addHelpText('after', '\nRestore it with "tend resurrect" (e.g. at boot: "tend startup").')
    .action((opts: { force?: boolean }) =>
      withClient(async (c) => {
        const { file, apps } = await c.call('daemon.save', { force: opts.force === true });
        const lines = apps.map((a) => {
          const stopped = a.ids.length - a.up;
          return `  ${a.name}${a.namespace === 'default' ? '' : ` (namespace ${a.namespace})`}: id${a.ids.length === 1 ? '' : 's'} ${a.ids.join(', ')}${stopped > 0 ? `, ${stopped} stopped` : ''}`;
        });
        process.stdout.write(
          `Saved ${apps.length} app${apps.length === 1 ? '' : 's'} to ${file}${apps.length > 0 ? ':' : '.'}\n${lines.map((l) => `${l}\n`).join('')}`,
        );
      }),
    );
}
