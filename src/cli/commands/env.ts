// `tend env <target...>`: the environment each running process actually has (read by the daemon from /proc),
// sorted KEY=value lines; secret-looking values masked unless --show-secrets.
import type { Command } from 'commander';
import { warn, withClient } from '../session.js';

interface Opts {
  showSecrets?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('env')
    .argument('<target...>', 'id, name, namespace or "all"')
    .option('--show-secrets', 'show the values of *TOKEN*, *SECRET*, *PASSWORD*, *KEY* variables')
    .option('--json', 'print JSON: [{ id, name, pid, env, masked }]')
    .description(
      'print the environment a running process has (from /proc/<pid>/environ), sorted, secrets masked',
    )
    .action((target: string[], opts: Opts) =>
      withClient(async (c) => {
        const { processes, skipped } = await c.call('process.env', {
          target,
          show_secrets: opts.showSecrets === true,
        });
        for (const s of skipped) warn(`${s.name} [${s.id}] is ${s.status}: skipped`, 'TEND_ERR_NOT_RUNNING');
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(processes, null, 2)}\n`);
          return;
        }
        const blocks = processes.map((p) => {
          const lines = Object.keys(p.env)
            .sort()
            .map((k) => `${k}=${dotenvValue(p.env[k] as string)}`);
          // One process: plain lines (a valid .env file); several: a comment header each.
          const header = processes.length > 1 ? [`# ${p.name} [${p.id}] pid ${p.pid}`] : [];
          return [...header, ...lines].join('\n');
        });
        process.stdout.write(`${blocks.join('\n\n')}\n`);
        const masked = new Set(processes.flatMap((p) => p.masked));
        if (masked.size > 0) {
          process.stderr.write(
            `${masked.size} value(s) masked: ${[...masked].sort().join(', ')} (--show-secrets)\n`,
          );
        }
      }),
    );
}

/** Values with a line break are written double-quoted with escapes, so the output stays one line per variable. */
function dotenvValue(value: string): string {
  if (!/[\n\r]/.test(value)) return value;
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
  return `"${escaped}"`;
}
