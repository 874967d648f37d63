// The CLI's entry point: argv → command → client call → render. It never imports the daemon or the
// supervisor, so `tend list` loads little and starts fast. One of the two places that end the process.
import { Command, CommanderError } from 'commander';
import { errorCatalogue, isTendError } from '../protocol/errors.js';
import { VERSION } from '../version.js';
import { register as registerDelete } from './commands/delete.js';
import { register as registerDescribe } from './commands/describe.js';
import { register as registerKill } from './commands/kill.js';
import { register as registerList } from './commands/list.js';
import { register as registerRestart } from './commands/restart.js';
import { register as registerStart } from './commands/start.js';
import { register as registerStop } from './commands/stop.js';

const USAGE_EXIT = errorCatalogue.TEND_ERR_USAGE.exit;

function program(): Command {
  const p = new Command('tend')
    .description('tend: a process manager for Node.js services and any other executable')
    .version(VERSION, '-v, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // commander's messages already start with "error:"; add the code so scripts can match it.
      outputError: (text, write) => write(`${text.trimEnd()} (TEND_ERR_USAGE)\n`),
    });
  for (const register of [
    registerStart,
    registerStop,
    registerRestart,
    registerDelete,
    registerList,
    registerDescribe,
    registerKill,
  ]) {
    register(p);
  }
  p.addHelpText('after', '\nDocumentation: docs/cli.md. Environment: TEND_HOME (default ~/.tend).');
  // Sub-commands inherit exit override and output settings.
  for (const c of p.commands) c.exitOverride().configureOutput(p.configureOutput());
  return p;
}

async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, successfully.
      return err.exitCode === 0 ? 0 : USAGE_EXIT;
    }
    if (isTendError(err)) {
      process.stderr.write(`error: ${err.message} (${err.code})\n`);
      return err.exitCode;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)} (TEND_ERR_INTERNAL)\n`);
    if (process.env.TEND_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    return errorCatalogue.TEND_ERR_INTERNAL.exit;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
  // Flush stdout before leaving: a piped `tend jlist | jq` must receive everything.
  process.stdout.write('', () => process.exit(code));
});
