// The rest of PM2's verbs: the listings with flags, describe with PM2's row names, save and resurrect on
// PM2's dump.pm2 (../home), ping, and link/unlink (PM2 Plus) as no-ops with a note.
import { join } from 'node:path';
import type { Command } from 'commander';
import { callerEnv } from '../../../cli/options.js';
import { reportFailures } from '../../../cli/report-failures.js';
import { reportRejected, warn, warnNote, withClient } from '../../../cli/session.js';
import type { AppInput } from '../../../config/input-types.js';
import { TendError } from '../../../protocol/errors.js';
import { loadPm2Dump, pm2Home, savePm2Dump } from '../../home/index.js';
import { pm2List } from '../../list.js';
import { renderDescribe } from '../describe.js';
import { ifRunning } from '../if-running.js';
import { jlist, ls, prettylist } from '../listings.js';
import { say, showTable } from '../output.js';
import { resolveTokens } from '../resolve.js';

export function register(program: Command): void {
  const listing = (name: string, summary: string, run: () => Promise<unknown>, aliases: string[] = []) => {
    const cmd = program
      .command(name)
      .description(summary)
      .option('-m, --mini-list', 'accepted (the full table is printed)')
      .option('--sort <key>', "accepted (PM2's sort; tend-pm2 lists by id)")
      .action(async () => {
        await run();
      });
    for (const a of aliases) cmd.alias(a);
  };
  listing('ls', "the process table, PM2's columns", ls, ['list', 'l', 'status']);
  listing('jlist', "the process list as JSON in PM2's shape (pm_id, monit, pm2_env)", jlist);
  listing('prettylist', "the same list as util.inspect prints it (PM2's format)", prettylist);

  program
    .command('describe')
    .alias('desc')
    .alias('info')
    .alias('show')
    .argument('<target...>', 'name, id, "all", namespace, script file, /regex/')
    .description("everything about a process, with PM2's row names")
    .action(async (tokens: string[]) => {
      // No daemon: nothing matches, and none is started (../if-running.ts).
      const none = () => {
        throw new TendError('TEND_ERR_TARGET_NOT_FOUND', { target: tokens });
      };
      await ifRunning(async (c) => {
        const r = await resolveTokens(c, tokens, undefined);
        const ids = new Set(
          r.kind === 'file'
            ? r.processes.filter((p) => r.names.includes(p.name)).map((p) => p.id)
            : r.matched.map((p) => p.id),
        );
        const entries = (await pm2List(c)).filter((e) => ids.has(e.pm_id));
        process.stdout.write(renderDescribe(entries));
      }, none);
    });

  program
    .command('save')
    .alias('dump')
    .option('--force', 'save even an empty list over a dump that holds apps')
    .option('-s, --silent', 'print nothing but errors')
    .description('save the process list to $PM2_HOME/dump.pm2 (the previous one kept as dump.pm2.bak)')
    .action(async (opts: { force?: boolean }) => {
      await withClient(async (c) => {
        // The daemon writes both: tend's dump.json (`tend-pm2 startup`, tend's unit, resurrects it at boot)
        // and, in a PM2 home, dump.pm2 with each app's whole spec (src/pm2/home/tend-part.ts).
        const r = await c.call('daemon.save', { force: opts.force === true });
        let file = r.pm2_file;
        if (file === undefined) {
          // A daemon that started before tend-pm2 marked the home keeps tend's layout: PM2's keys only.
          file = await savePm2Dump(pm2Home(), await pm2List(c));
          warn(
            `the daemon keeps tend's layout (it started before tend-pm2 marked ${pm2Home()}): ${file} holds PM2's settings only; "tend-pm2 kill", then start and save again, to keep tend's own`,
            'TEND_ERR_NOTICE',
          );
        }
        say(`saved the process list to ${file}`);
      });
    });

  program
    .command('resurrect')
    .option('-s, --silent', 'print nothing but errors')
    .description('start the apps saved by "save" ($PM2_HOME/dump.pm2; a damaged one: dump.pm2.bak)')
    .action(async () => {
      const home = pm2Home();
      const { saved, apps, notices, stopped, file } = loadPm2Dump(home);
      for (const n of notices) warn(n, 'TEND_ERR_NOTICE');
      await withClient(async (c) => {
        if (apps.length === 0 && saved.length === 0) say('nothing to resurrect: the saved list is empty');
        // Apps tend-pm2 saved come back as saved (spec, ids, stopped ones stopped), as dump.json's do.
        if (saved.length > 0) {
          const res = await c.call('daemon.resurrect', {
            list: { source: file, apps: saved.map((a) => ({ spec: a.spec, units: [...a.units] })) },
          });
          for (const n of [...res.warnings, ...res.notes]) warnNote(n);
          for (const s of res.skipped) warn(`${s.name}: ${s.reason}`, 'TEND_ERR_NOTICE');
          say(`resurrected: ${[...new Set(res.processes.map((p) => p.name))].join(', ')}`);
          reportFailures(res.processes);
        }
        if (apps.length > 0) {
          const res = await c.call('app.start', {
            apps: apps as AppInput[],
            source: join(home, 'dump.pm2'),
            base_dir: home,
            env: callerEnv(),
            env_name: null,
            only: null,
            // As PM2 7: an app the dump has stopped comes back in the list, stopped.
            stopped: [...stopped],
          });
          for (const n of res.notes) warnNote(n);
          say(`resurrected: ${[...new Set(res.processes.map((p) => p.name))].join(', ')}`);
          reportFailures(res.processes);
          reportRejected(res.rejected);
        }
        await showTable(c);
      });
    });

  program
    .command('ping')
    .description('start the daemon if it is not running, and answer')
    .action(async () => {
      await withClient(async (c) => c.identity());
      process.stdout.write("{ msg: 'pong' }\n");
    });

  for (const verb of ['link', 'unlink', 'plus']) {
    program
      .command(verb)
      .description('PM2 Plus (keymetrics.io): accepted, does nothing')
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]')
      .action(() => {
        warn(
          `"${verb}" does nothing: tend has no cloud monitoring (PM2 Plus); "tend web" serves a local dashboard and /metrics`,
          'TEND_ERR_NOTICE',
        );
      });
  }

  // An unknown PM2 verb says what to use instead rather than commander's bare "unknown command".
  for (const [verb, instead] of [
    [
      'deploy',
      'PM2\'s deploy (git over ssh) is not part of tend: run your deploy tool, then "tend-pm2 startOrReload <file>"',
    ],
    ['install', 'PM2 modules are not supported: tend has log rotation built in (max_size, retain)'],
    ['module:install', 'PM2 modules are not supported'],
    ['report', 'use "tend-pm2 describe <target>" and $PM2_HOME/daemon.log'],
  ] as const) {
    program
      .command(verb)
      .description('not in tend (says what to use)')
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]')
      .action(() => {
        throw new TendError('TEND_ERR_USAGE', { detail: `${verb}: ${instead}` });
      });
  }
}
