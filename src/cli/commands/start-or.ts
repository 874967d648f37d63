// PM2's deploy verbs over an ecosystem file: `startOrRestart`, `startOrReload`, `startOrGracefulReload`.
// Each starts the file's apps that are not running and restarts (or reloads) the others: what `tend restart
// <file>` and `tend reload <file>` already do, under the names deploy scripts call. The target must be an
// ecosystem file; tend's reload is graceful already, so the third is the second.
import type { Command } from 'commander';
import { TendError } from '../../protocol/errors.js';
import { isEcosystemFile } from '../ecosystem.js';
import { type FileTargetOptions, fileTargetOptions } from '../options.js';
import { reload } from './reload.js';
import { restart } from './restart.js';

const VERBS = [
  { name: 'startOrRestart', alias: 'start-or-restart', others: 'restarts', action: restart },
  { name: 'startOrReload', alias: 'start-or-reload', others: 'reloads', action: reload },
  {
    name: 'startOrGracefulReload',
    alias: 'start-or-graceful-reload',
    others: 'reloads (tend reloads gracefully always)',
    action: reload,
  },
] as const;

export function register(program: Command): void {
  for (const verb of VERBS) {
    fileTargetOptions(program.command(verb.name).alias(verb.alias).argument('<file>', 'an ecosystem file'))
      .description(
        `start the apps of an ecosystem file that are not running; ${verb.others} the others (PM2's verb; with --update-env the file's env applies to running apps too)`,
      )
      .action((file: string, opts: FileTargetOptions) => {
        if (!isEcosystemFile(file))
          throw new TendError('TEND_ERR_USAGE', {
            detail: `${verb.name} takes an ecosystem file (ecosystem.config.js, .cjs, .mjs, .json, .yaml), got "${file}"; for processes use "tend ${verb.action === restart ? 'restart' : 'reload'} ${file}"`,
          });
        return verb.action([file], opts);
      });
  }
}
