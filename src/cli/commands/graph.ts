// `tend graph [--dot] [--json]`: the dependency tree of the daemon's apps (render/graph.ts), from app.graph.
import type { Command } from 'commander';
import { renderDot, renderGraph } from '../render/graph.js';
import { colourEnabled } from '../render/style.js';
import { withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('graph')
    .description(
      'the dependency tree: each app nothing depends on, with the apps it needs below it (depends_on), and their state',
    )
    .option(
      '--dot',
      'print Graphviz (an edge from each app to each app it needs): tend graph --dot | dot -Tsvg',
    )
    .option('--json', 'print the app.graph result (docs/protocol.md)')
    .action((opts: { dot?: boolean; json?: boolean }) =>
      withClient(async (c) => {
        const data = await c.call('app.graph');
        const text = opts.json
          ? JSON.stringify(data, null, 2)
          : opts.dot
            ? renderDot(data)
            : renderGraph(data, { colour: colourEnabled() });
        process.stdout.write(`${text}\n`);
      }),
    );
}
