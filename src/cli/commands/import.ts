// `tend import pm2 [DUMP]`: PM2's saved list (`pm2 save`'s dump.pm2) as a tend ecosystem file, printed,
// written (--write FILE), or started at once (--start). What has no meaning in tend is listed on stderr
// (and in the file's comments). docs/pm2.md is the migration guide.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { AppInput } from '../../config/input-types.js';
import { defaultDumpPath, pm2Home, readPm2Dump } from '../../pm2/dump-read.js';
import { appsFromDump } from '../../pm2/dump-to-apps.js';
import { ecosystemText, formatOf } from '../../pm2/ecosystem-text.js';
import { TendError } from '../../protocol/errors.js';
import { callerEnv } from '../options.js';
import { reportFailures } from '../report-failures.js';
import { printTable, warn, warnNote, withClient } from '../session.js';

interface Opts {
  write?: string;
  force?: boolean;
  start?: boolean;
  fullEnv?: boolean;
}

export function register(program: Command): void {
  program
    .command('import')
    .argument('<from>', 'the process manager to import from: pm2')
    .argument('[dump]', "PM2's saved list (default $PM2_HOME/dump.pm2, or ~/.pm2/dump.pm2)")
    .description("turn PM2's saved process list into a tend ecosystem file (printed), write it, or start it")
    .option('--write <file>', 'write the file (.js, .cjs, .json, .yaml) instead of printing it')
    .option('--force', 'with --write: replace an existing file')
    .option('--start', 'start the apps under tend now (those PM2 had stopped are left out)')
    .option('--full-env', "keep every variable of the apps' environment, also those equal to this shell's")
    .action((from: string, dump: string | undefined, opts: Opts) => importFrom(from, dump, opts));
}

async function importFrom(from: string, dump: string | undefined, opts: Opts): Promise<void> {
  if (from !== 'pm2')
    throw new TendError('TEND_ERR_USAGE', { detail: `tend imports from "pm2" only, got "${from}"` });
  const file = resolve(dump ?? defaultDumpPath());
  const result = appsFromDump(readPm2Dump(file), {
    pm2Home: dump ? dirname(file) : pm2Home(),
    env: process.env,
    fullEnv: opts.fullEnv === true,
  });
  const target = opts.write ? resolve(opts.write) : null;
  const text = await ecosystemText(result, file, formatOf(target));
  for (const line of result.ignored) warn(`${line}: not imported`, 'TEND_ERR_CONFIG_IGNORED');
  for (const line of result.notes) warn(line, 'TEND_ERR_NOTICE');
  if (target) {
    if (existsSync(target) && !opts.force)
      throw new TendError('TEND_ERR_FILE_EXISTS', { file: target, fix: 'use --force to replace it' });
    writeFileSync(target, text);
    process.stderr.write(`${target} written: ${result.apps.length} app(s)\n`);
  } else if (!opts.start) {
    process.stdout.write(text);
  }
  if (!opts.start) return;
  const only = result.apps.map((a) => a.name as string).filter((n) => !result.stopped.includes(n));
  if (result.stopped.length > 0)
    warn(`stopped in PM2, not started: ${result.stopped.join(', ')}`, 'TEND_ERR_NOTICE');
  if (only.length === 0) return;
  await withClient(async (c) => {
    const r = await c.call('app.start', {
      // Unchecked data from a file: the daemon validates every field (it is the trust boundary).
      apps: result.apps as AppInput[],
      source: target,
      base_dir: target ? dirname(target) : process.cwd(),
      env: callerEnv(),
      env_name: null,
      only,
      wait: true,
    });
    for (const n of r.notes) warnNote(n);
    printTable((await c.call('process.list')).processes);
    reportFailures(r.processes);
    // Only when every app came up: reportFailures set the exit status otherwise.
    if (!process.exitCode)
      process.stderr.write(
        'Started under tend. "tend save" keeps this list across reboots (with "tend startup").\n',
      );
  });
}
