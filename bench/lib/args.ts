// Command-line options of `npm run bench -- [options]`.
import { parseArgs } from 'node:util';

export interface Options {
  quick: boolean;
  only: string[] | null;
  runs: number | null;
  json: string | null;
  markdown: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

Runs tend and PM2 (pinned, installed into a scratch folder outside the repository) side by side,
interleaved, each with its own fresh home, and prints medians, ratios and the physical floors. Every raw
run goes to a JSON file. See docs/performance.md.

Options:
  --quick              tend alone (no PM2 install), every runnable scenario with tiny sizes; seconds long
  --only <list>        only these scenarios, by number or id, comma separated (e.g. --only 1,crash-to-serving)
  --runs <n>           runs per measurement, overriding each scenario's default
  --json <file>        where to write every raw run (default bench/.bench/latest.json)
  --markdown           also print the tables as Markdown (for docs/performance.md)
  -h, --help           this text

Environment: TEND_BENCH_PEERS overrides the peers folder (default <tmpdir>/tend-bench-peers).`;

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      runs: { type: 'string' },
      json: { type: 'string' },
      markdown: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  let runs: number | null = null;
  if (values.runs !== undefined) {
    runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1)
      throw new Error(`--runs: expected a positive integer, got "${values.runs}"`);
  }
  return {
    quick: values.quick ?? false,
    only: values.only
      ? values.only
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
    runs,
    json: values.json ?? null,
    markdown: values.markdown ?? false,
    help: values.help ?? false,
  };
}
