// The entry of dist/runtime-probe.cjs: `tend-runtime probe …` (bin/tend-runtime.js requires this bundle, not
// dist/runtime.cjs, when its first argument is `probe`). A health check runs every few seconds for the life
// of the container: it loads the probe, the address parser, node:http and parse-args-usage.ts, never the
// supervisor.
// One of the places that end the process.
import { runProbeCommand } from './probe.js';

// The verdict is the exit code, whatever becomes of the line: a stdout that cannot be written (EPIPE, ENOSPC)
// must not turn a healthy probe into exit 1 with a stack trace (the ninth audit; main.ts does the same).
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

runProbeCommand(process.argv.slice(3)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `tend-runtime probe: ${err instanceof Error ? err.message : String(err)} (TEND_ERR_INTERNAL)\n`,
    );
    // 0 or 1 only, as every HEALTHCHECK command (probe.ts): this is "not healthy" too.
    process.exitCode = 1;
  },
);
