// `tend unstartup [systemd] [--dry-run] [--service-name n] [--user u]`: disable and remove the unit that
// `tend startup` installed (the same options name the same unit).
import { existsSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import { TendError } from '../../protocol/errors.js';
import { checkForeign } from '../../startup/plan.js';
import { planFrom, runSteps, type StartupFlags } from './startup.js';

export function register(program: Command): void {
  program
    .command('unstartup')
    .argument('[init]', 'init system (only "systemd")')
    .description('disable and remove the systemd unit installed by "tend startup"')
    .option('--dry-run', 'print the commands, change nothing')
    .option('--service-name <name>', 'unit name given to startup (default: tend-<user> for root, tend)')
    .option('-u, --user <name>', 'the --user given to startup (root only)')
    .option('--force', 'remove the unit even though tend did not write it')
    .action((init: string | undefined, flags: StartupFlags) => {
      const plan = planFrom(init, flags);
      const dry = Boolean(flags.dryRun);
      if (!existsSync(plan.unitPath))
        throw new TendError('TEND_ERR_STARTUP_FAILED', {
          detail: `no unit at ${plan.unitPath} (installed with another --service-name or --user?)`,
        });
      checkForeign(plan, { force: flags.force }, 'unstartup');
      const [disable, ...rest] = plan.uninstall;
      runSteps([disable!], dry);
      process.stdout.write(`${dry ? '# would remove' : 'removing'} ${plan.unitPath}\n`);
      if (!dry) rmSync(plan.unitPath);
      runSteps(rest, dry);
      if (!dry) process.stdout.write(`${plan.serviceName}.service is removed.\n`);
    });
}
