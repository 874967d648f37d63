// tend-pm2's full command line (commander): PM2's verbs, loaded by main.ts for everything but the plain
// listings. Own commands where PM2 differs from tend (start, restart counting, targets, describe, save),
// tend's own for the rest (commands/passthrough.ts).
import { Command, CommanderError } from 'commander';
import { errorCatalogue } from '../../protocol/errors.js';
import { VERSION } from '../../version.js';
import { register as registerLifecycle } from './commands/lifecycle.js';
import { register as registerOther } from './commands/other.js';
import { register as registerPassthrough } from './commands/passthrough.js';
import { register as registerStart } from './commands/start.js';
import { isSilent } from './home.js';
import { setSilent } from './output.js';

const USAGE_EXIT = errorCatalogue.TEND_ERR_USAGE.exit;

function program(): Command {
  const p = new Command('tend-pm2')
    .usage('[command] [options]')
    .description("tend-pm2: PM2's command line over tend's daemon (home: $PM2_HOME, default ~/.pm2)")
    .option('-v, --version', "print tend's version")
    .option('-s, --silent', 'print nothing but errors (PM2_SILENT=true does the same)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`${text.trimEnd()} (TEND_ERR_USAGE)\n`),
    })
    .action((opts: { version?: boolean }) => {
      if (opts.version) {
        // The number alone on stdout (scripts compare it); what it is, on stderr.
        process.stdout.write(`${VERSION}\n`);
        process.stderr.write(`tend-pm2 ${VERSION}: tend's daemon behind PM2's command line (not PM2)\n`);
        return;
      }
      p.outputHelp();
    });
  for (const register of [registerStart, registerLifecycle, registerOther, registerPassthrough]) register(p);
  p.addHelpText(
    'after',
    '\nDifferences from PM2: docs/pm2.md. Environment: PM2_HOME, PM2_SILENT, PM2_WORKER_INTERVAL, PM2_KILL_USE_MESSAGE.',
  );
  for (const c of p.commands) c.exitOverride().configureOutput(p.configureOutput());
  return p;
}

/** Parses argv and runs the command; resolves with the exit status for usage errors, help and version. */
export async function runPm2Program(argv: string[]): Promise<number | null> {
  setSilent(isSilent(argv.slice(2)));
  try {
    await program().parseAsync(argv);
    return null;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : USAGE_EXIT;
    throw err;
  }
}
