// The entry of dist/runtime.cjs, run by bin/tend-runtime.js (issue 15): `tend-runtime <file|script> …` runs
// the apps in the foreground with no daemon (run.ts); `tend-runtime probe …` asks a running runtime's health
// listener and exits 0/1 (probe.ts, for Docker's HEALTHCHECK). One of the places that end the process.
import { exitOnceWritten } from './exit-flush.js';
import { backgroundClock, pendingBytes } from './output-progress.js';
import { loadApps, runRuntime } from './run.js';

// A stdout or stderr that cannot be written (a closed pipe: `tend-runtime probe | true`; a full disk) must
// not end the process with an 'error' event's stack trace and exit 1: a probe's exit code is its verdict,
// whatever became of its line (the ninth audit: a healthy runtime's probe exited 1 on EPIPE). run.ts's
// runtime keeps running on them as well.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

async function main(argv: string[]): Promise<number> {
  // The bin loads dist/runtime-probe.cjs for `probe`; from here (node dist/runtime.cjs probe) it is loaded on
  // demand, so that a runtime never loads node:http for it (a runtime with --health-listen off loads none).
  if (argv[0] === 'probe') return (await import('./probe.js')).runProbeCommand(argv.slice(1));
  if (argv[0] === 'plan')
    return (await import('./plan.js')).runPlanCommand(argv.slice(1), {
      loadApps: (options, env) => loadApps(options, env),
      say: (line) => process.stderr.write(`tend-runtime: ${line}\n`),
      print: (line) => process.stdout.write(`${line}\n`),
    });
  return runRuntime(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    exitOnceWritten(code, {
      clock: backgroundClock,
      streams: [process.stdout, process.stderr],
      pending: () => [...pendingBytes(process.stdout), ...pendingBytes(process.stderr)],
      exit: (c) => process.exit(c),
      onStopSignal: (fn) => {
        for (const sig of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) process.on(sig, fn);
      },
    });
  },
  (err: unknown) => {
    process.stderr.write(
      `tend-runtime: ${err instanceof Error ? err.message : String(err)} (TEND_ERR_INTERNAL)\n`,
    );
    process.exit(70);
  },
);
