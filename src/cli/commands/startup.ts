// `tend startup [systemd] [--dry-run] [--service-name n] [--user u]`: install a systemd unit that runs
// `tend resurrect` at boot (the unit's design: src/startup/systemd-unit.ts).
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { TendError } from '../../protocol/errors.js';
import { startupEnv } from '../../startup/environment.js';
import { checkForeign, planStartup, type StartupOptions, type StartupPlan } from '../../startup/plan.js';
import { runSystemctl, systemctlBinary } from '../../startup/systemctl.js';

export interface StartupFlags {
  dryRun?: boolean;
  serviceName?: string;
  user?: string;
  force?: boolean;
}

export function planFrom(init: string | undefined, flags: StartupFlags): StartupPlan {
  const opts: StartupOptions = { init, serviceName: flags.serviceName, user: flags.user, force: flags.force };
  return planStartup(opts, startupEnv());
}

/** Prints what will be (or would be) run, and runs it unless dry. */
export function runSteps(steps: string[][], dry: boolean): void {
  const bin = systemctlBinary();
  for (const args of steps) {
    process.stdout.write(`${dry ? '# would run: ' : 'running: '}systemctl ${args.join(' ')}\n`);
    if (!dry) runSystemctl(bin, args);
  }
}

export function register(program: Command): void {
  program
    .command('startup')
    .argument('[init]', 'init system (only "systemd")')
    .description('install a systemd unit that resurrects the saved process list at boot (tend save first)')
    .option('--dry-run', 'print the unit and the commands, change nothing')
    .option('--service-name <name>', 'unit name (default: tend-<user> for root, tend for a user unit)')
    .option('-u, --user <name>', 'run the daemon as this user (root only; default: you)')
    .option('--force', 'replace a unit of that name that tend did not write')
    .addHelpText(
      'after',
      '\nAs root: a system unit in /etc/systemd/system (User= runs the daemon as --user).\n' +
        'Otherwise: a user unit in ~/.config/systemd/user, enabled with systemctl --user.\n' +
        'A unit of that name that tend did not write, there or anywhere systemd looks for units, is\n' +
        'refused (TEND_ERR_STARTUP_CONFLICT) unless --force.',
    )
    .action((init: string | undefined, flags: StartupFlags) => startup(init, flags));
}

function startup(init: string | undefined, flags: StartupFlags): void {
  const plan = planFrom(init, flags);
  checkForeign(plan, { force: flags.force }, 'startup');
  const dry = Boolean(flags.dryRun);
  if (dry) {
    // Comments around the unit: the output of --dry-run is itself a valid unit file.
    process.stdout.write(`# tend startup --dry-run: would write ${plan.unitPath}\n${plan.unit}`);
  } else {
    process.stdout.write(`writing ${plan.unitPath}\n`);
    writeUnit(plan.unitPath, plan.unit);
  }
  runSteps(plan.install, dry);
  if (!dry) process.stdout.write(`${plan.serviceName}.service is enabled.\n`);
  for (const n of plan.notes) process.stdout.write(`${dry ? '# ' : ''}note: ${n}\n`);
}

/**
 * `dir` made one level at a time: Node's recursive mkdir loops for ever on a pseudo file system (tenth
 * audit: a unit directory under /proc spun at 94 % CPU; export/out-dir.ts has the same walk).
 */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}

function writeUnit(path: string, text: string): void {
  try {
    makeDirs(dirname(path));
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, text, { mode: 0o644 });
    renameSync(tmp, path);
  } catch (err) {
    throw new TendError('TEND_ERR_STARTUP_FAILED', {
      detail: `cannot write ${path}: ${(err as Error).message}${(err as NodeJS.ErrnoException).code === 'EACCES' ? ' (a system unit needs root)' : ''}`,
    });
  }
}
