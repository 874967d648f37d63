import type { Command } from 'commander';
import type { DescribedProcess } from '../../protocol/methods/process-describe.js';
import { redactShown } from '../../protocol/secrets.js';
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
    .option('--show-secrets', 'show environment values and arguments that carry credentials unmasked')
    .action((target: string[], opts: { json?: boolean; showSecrets?: boolean }) =>
      withClient(async (c) => {
        const { details: all } = await c.call('process.describe', { target });
        // Credentials masked, as the runtime's start line and `tend env` mask them (seventh audit: args such as
        // --password=hunter3 and every env value were printed): a describe ends up in bug reports and CI logs.
        // The env values that do not look secret stay (PORT, NODE_ENV), as in `tend env`; the HTTP API, for
        // other eyes, masks them all.
        const details = opts.showSecrets ? all : (redactShown(all, 'secret') as DescribedProcess[]);
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
