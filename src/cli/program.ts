// The full command line: every command, flag and help text (commander). Loaded on demand by main.ts.
import { Command, CommanderError } from 'commander';
import { errorCatalogue } from '../protocol/errors.js';
import { printable } from '../runtime/printable.js';
import { VERSION } from '../version.js';
import { register as registerDelete } from './commands/delete.js';
import { register as registerDescribe } from './commands/describe.js';
import { register as registerEnv } from './commands/env.js';
import { register as registerExport } from './commands/export.js';
import { register as registerFlush } from './commands/flush.js';
import { register as registerGraph } from './commands/graph.js';
// issue 17: PM2's verbs
import { register as registerId } from './commands/id.js';
import { register as registerImport } from './commands/import.js';
import { register as registerInit } from './commands/init.js';
import { register as registerKill } from './commands/kill.js';
import { register as registerList } from './commands/list.js';
import { register as registerLogs } from './commands/logs.js';
import { register as registerMonit } from './commands/monit.js';
import { register as registerPid } from './commands/pid.js';
import { register as registerReload } from './commands/reload.js';
import { register as registerReloadLogs } from './commands/reload-logs.js';
import { register as registerReset } from './commands/reset.js';
import { register as registerRestart } from './commands/restart.js';
import { register as registerResurrect } from './commands/resurrect.js';
import { register as registerSave } from './commands/save.js';
import { register as registerScale } from './commands/scale.js';
import { register as registerSchema } from './commands/schema.js';
import { register as registerSendSignal } from './commands/send-signal.js';
import { register as registerStart } from './commands/start.js';
import { register as registerStartOr } from './commands/start-or.js';
import { register as registerStartup } from './commands/startup.js';
import { register as registerStop } from './commands/stop.js';
import { register as registerUnstartup } from './commands/unstartup.js';
import { register as registerUpdate } from './commands/update.js';
import { register as registerWeb } from './commands/web.js';

const USAGE_EXIT = errorCatalogue.TEND_ERR_USAGE.exit;

/**
 * commander's message as one line: its suggestion joined to it ("unknown command 'lisst' (did you mean
 * list?)"), and the control characters of a value echoed back (`--instances $'2\e[31m'`) shown escaped, not
 * sent to the terminal.
 */
export function usageLine(text: string): string {
  return printable(text.trimEnd().replace(/\n\(Did you mean (.+)\?\)$/, ' (did you mean $1?)'));
}

function program(): Command {
  const p = new Command('tend')
    .description('tend: a process manager for Node.js services and any other executable')
    .version(VERSION, '-v, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // commander's messages already start with "error:"; add the code so scripts can match it.
      outputError: (text, write) => write(`${usageLine(text)} (TEND_ERR_USAGE)\n`),
    });
  for (const register of [
    registerStart,
    registerStop,
    registerRestart,
    registerReload,
    registerScale,
    registerDelete,
    registerList,
    registerDescribe,
    registerGraph,
    registerLogs,
    registerFlush,
    registerReloadLogs,
    registerKill,
    registerStartup,
    registerUnstartup,
    registerMonit,
    registerEnv,
    registerSendSignal,
    registerSave,
    registerResurrect,
    registerUpdate,
    registerSchema,
    // issue 14
    registerWeb,
    registerExport,
    registerStartOr,
    registerPid,
    registerId,
    registerReset,
    registerInit,
    registerImport,
  ]) {
    register(p);
  }
  p.addHelpText('after', '\nDocumentation: docs/cli.md. Environment: TEND_HOME (default ~/.tend).');
  // Sub-commands inherit exit override and output settings.
  for (const c of p.commands) c.exitOverride().configureOutput(p.configureOutput());
  return p;
}

/** Parses argv and runs the command; resolves with the exit status for usage errors, help and version. */
export async function runProgram(argv: string[]): Promise<number | null> {
  try {
    await program().parseAsync(argv);
    return null;
  } catch (err) {
    // --help and --version end here too, successfully.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : USAGE_EXIT;
    throw err;
  }
}
