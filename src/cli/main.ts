// The CLI's entry point: argv → command → client call → render. It never imports the daemon or the
// supervisor. The read-only listing commands without flags take a fast path that does not even load the
// argument parser: `tend ls` is run in scripts and watch loops, and its cost is mostly start-up.
// One of the two places that end the process.
import { createRequire } from 'node:module';
import { jlist, list, prettylist } from './commands/list-actions.js';
import { exitAfterFlush, reportError } from './exit.js';

/**
 * The full command set is a separate file (dist/cli-program.cjs, see scripts/build.mjs), so the fast path
 * does not even parse it. From source (tests through tsx), the module itself (a variable, so that esbuild
 * does not bundle it into this file).
 */
const BUILT = import.meta.url.endsWith('.cjs');
const PROGRAM = './program.js';

/**
 * The built program is required, not import()ed: import() of a CommonJS file goes through the ES module
 * loader, which first scans its 500 kB for export names (cjs-module-lexer), ~150 ms of every command's start
 * (measured for issue 13's DAG start, where `tend start` is on the critical path).
 */
async function loadProgram(): Promise<typeof import('./program.js')> {
  if (BUILT) return createRequire(import.meta.url)('./cli-program.cjs') as typeof import('./program.js');
  return (await import(PROGRAM)) as typeof import('./program.js');
}

const FAST: Record<string, () => Promise<void>> = {
  list,
  ls: list,
  status: list,
  l: list,
  jlist,
  prettylist,
};

async function main(argv: string[]): Promise<number> {
  try {
    const [verb, ...rest] = argv.slice(2);
    const fast =
      verb !== undefined && rest.length === 0 && Object.hasOwn(FAST, verb) ? FAST[verb] : undefined;
    if (fast) {
      await fast();
      return 0;
    }
    // `jlist --format pm2` is run by exporters in loops too (issue 17): the same fast path.
    // `--format pm2` and `--format=pm2` both join to the same text.
    if ((verb === 'jlist' || verb === 'prettylist') && rest.join('=') === '--format=pm2') {
      await (verb === 'jlist' ? jlist : prettylist)({ format: 'pm2' });
      return 0;
    }
    const { runProgram } = await loadProgram();
    const status = await runProgram(argv);
    return status ?? (typeof process.exitCode === 'number' ? process.exitCode : 0);
  } catch (err) {
    return reportError(err);
  }
}

main(process.argv).then(exitAfterFlush);
