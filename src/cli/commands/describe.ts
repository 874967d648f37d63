import type { Command } from 'commander';
import { renderDescribe } from '../render/describe.js';
import { colourEnabled } from '../render/style.js';
import { withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('describe')
    .aliases(['desc', 'info', 'show'])
    .argument('<target...>', 'name, id, namespace or "all"')
    .description('everything known about a process: state, command, restart policy, history, recent stderr')
    .action((target: string[]) =>
      withClient(async (c) => {
        const { details } = await c.call('process.describe', { target });
        const colour = colourEnabled();
        process.stdout.write(
          `${details.map((d) => renderDescribe(d, { colour, now: Date.now() })).join('\n\n')}\n`,
        );
      }),
    );
}
