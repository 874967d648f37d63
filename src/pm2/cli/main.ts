// tend-pm2 (issue 17 §1): PM2's command line over tend's daemon, for `ln -s "$(command -v tend-pm2)" pm2`.
// The listings (jlist, prettylist, ls) take a fast path without the argument parser, as `tend ls` does
// (src/cli/main.ts): exporters and cron jobs run them in loops. Everything else loads ./program.ts.
// One of the places that end the process.
import { createRequire } from 'node:module';
import { exitAfterFlush, reportError } from '../../cli/exit.js';
import { enterPm2Home } from './home.js';
import { jlist, ls, prettylist } from './listings.js';

const BUILT = import.meta.url.endsWith('.cjs');
const PROGRAM = './program.js';

/** Built: dist/pm2-program.cjs, required (not import()ed: see src/cli/main.ts). From source: the module. */
async function loadProgram(): Promise<typeof import('./program.js')> {
  if (BUILT) return createRequire(import.meta.url)('./pm2-program.cjs') as typeof import('./program.js');
  return (await import(PROGRAM)) as typeof import('./program.js');
}

const FAST: Record<string, () => Promise<unknown>> = {
  jlist,
  prettylist,
  ls,
  list: ls,
  l: ls,
  status: ls,
};

async function main(argv: string[]): Promise<number> {
  try {
    enterPm2Home();
    const [verb, ...rest] = argv.slice(2);
    const fast =
      verb !== undefined && rest.length === 0 && Object.hasOwn(FAST, verb) ? FAST[verb] : undefined;
    if (fast) {
      await fast();
      return 0;
    }
    const { runPm2Program } = await loadProgram();
    const status = await runPm2Program(argv);
    return status ?? (typeof process.exitCode === 'number' ? process.exitCode : 0);
  } catch (err) {
    return reportError(err);
  }
}

main(process.argv).then(exitAfterFlush);
