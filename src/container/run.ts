// `tend-runtime <ecosystem file | script> [flags]`: the foreground runtime (issue 15). Contract stub: the
// runtime helper implements it.

/** Runs the apps until they end or a shutdown signal; resolves with the process exit code (see issue 15). */
export async function runRuntime(argv: readonly string[]): Promise<number> {
  process.stderr.write(`tend-runtime: not implemented yet (${argv.join(' ')})\n`);
  return 70;
}
