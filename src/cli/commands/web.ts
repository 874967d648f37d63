// `tend web [--port N] [--host H] [--off] [--json]`: turn the HTTP API and dashboard on in the running daemon
// (kept for later starts) and print the dashboard's URL with a one-time login link; `--off` turns it off
// and forgets it. Prints only: on a headless server there is no browser to open.
import { type Command, InvalidArgumentError } from 'commander';
import { warn, withClient } from '../session.js';

interface WebOptions {
  port?: number;
  host?: string;
  off?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('web')
    .description('turn the HTTP API and web dashboard on (127.0.0.1:9615 by default) and print a login link')
    .option('--port <port>', 'the port to listen on (1-65535; default 9615)', port)
    .option('--host <address>', 'a loopback address to listen on (default 127.0.0.1; [::1] for IPv6)')
    .option('--off', 'turn the API and dashboard off, also for later daemon starts')
    .option('--json', 'print the daemon.web result (docs/protocol.md)')
    .addHelpText(
      'after',
      '\nThe choice is kept in $TEND_HOME/web.json for later daemon starts; http.listen in\n' +
        '$TEND_HOME/tend.config.yaml wins over it. Tokens: $TEND_HOME/http.token (admin) and\n' +
        'http.read-token (read), for "Authorization: Bearer <token>". The login link works once, for 10\n' +
        'minutes. Documentation: docs/http.md.',
    )
    .action((opts: WebOptions) =>
      withClient(async (c) => {
        const host = opts.host?.replace(/^\[(.*)\]$/, '$1');
        const r = await c.call('daemon.web', {
          off: opts.off === true,
          ...(opts.port !== undefined ? { port: opts.port } : {}),
          ...(host !== undefined ? { host } : {}),
        });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
          return;
        }
        for (const p of r.problems)
          warn(`${p.kind} listener on ${p.address} is not running: ${p.message}`, 'TEND_ERR_HTTP_LISTEN');
        if (opts.off) {
          process.stdout.write('The HTTP API and dashboard are off (also for later daemon starts).\n');
          return;
        }
        const health = r.listeners.find((l) => l.kind === 'health');
        const { home } = await c.daemon();
        process.stdout.write(
          `Dashboard: ${r.url}${r.source === 'settings' ? ' (http.listen of tend.config.yaml)' : ''}\n` +
            `Log in with this link (works once, for 10 minutes):\n  ${r.login_url}\n` +
            `API tokens: ${home}/http.token (admin), ${home}/http.read-token (read)\n` +
            (health ? `Health and metrics: ${health.url}\n` : ''),
        );
      }),
    );
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535)
    throw new InvalidArgumentError(`expected a port from 1 to 65535, got "${value}"`);
  return n;
}
