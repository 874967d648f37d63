import type { Command } from 'commander';
import { renderDescribe } from '../render/describe.js';
import { colourEnabled } from '../render/style.js';
import { withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('describe')
    .aliases(['desc', 'info', 'show'])
    .argument('<target...>', 'name, id, namespace or "all"')
    .description(
      'everything known about a process: state, command, logs, restart policy and history, last exits, recent stderr',
    )
    .option('--json', 'print the details as JSON (the process.describe result, docs/protocol.md)')
    .action((target: string[], opts: { json?: boolean }) =>
      withClient(async (c) => {
        const { details } = await c.call('process.describe', { target });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(details, null, 2)}\n`);
          return;
        }
        const colour = colourEnabled();
        process.stdout.write(
          `${details.map((d) => renderDescribe(d, { colour, now: Date.now() })).join('\n\n')}\n`,
        );
      }),
    );
}
