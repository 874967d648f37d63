// How a command line ends: an error as one line with its code (a stack only with TEND_DEBUG), and the exit
// after stdout is flushed (a piped `tend jlist | jq` must receive everything). Shared by `tend` and `tend-pm2`.
import { errorCatalogue, isTendError } from '../protocol/errors.js';

/** Prints `err` as one line with its code; returns the exit status it maps to. */
export function reportError(err: unknown): number {
  if (isTendError(err)) {
    process.stderr.write(`error: ${err.message} (${err.code})\n`);
    return err.exitCode;
  }
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)} (TEND_ERR_INTERNAL)\n`);
  if (process.env.TEND_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
  return errorCatalogue.TEND_ERR_INTERNAL.exit;
}

/** Ends the process with `code` once stdout has been flushed. */
export function exitAfterFlush(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}
