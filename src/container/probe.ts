// `tend-runtime probe [--ready|--live|--startup] [--app NAME] [--health-listen ADDR]`: exit 0 when the runtime's
// health listener says so, 1 otherwise (issue 15). Contract stub: the PID-1/probe helper implements it.

/** Resolves with the exit code: 0 healthy, 1 not (or unreachable), 2 usage error. */
export async function runProbeCommand(argv: readonly string[]): Promise<number> {
  process.stderr.write(`tend-runtime probe: not implemented yet (${argv.join(' ')})\n`);
  return 1;
}
