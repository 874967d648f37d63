// `tend update`: restart the daemon in place (after upgrading tend). The old daemon records its list and
// stops every app; a new daemon from the installed dist/ restores them with the same ids. Reports how long
// the apps were down.
import type { Command } from 'commander';
import { printTable, withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('update')
    .description('restart the daemon (e.g. after upgrading tend) and restore every app, logs kept')
    .action(async () => {
      let old: { pid: number; version: string } | null = null;
      let stoppingAt = 0;
      let stoppedAt = 0;
      let handed = 0;
      await withClient(async (c) => {
        const d = await c.daemon();
        old = { pid: d.pid, version: d.version };
        const closed = c.closed;
        const r = await c.call('daemon.update');
        stoppingAt = r.stopping_at;
        stoppedAt = r.stopped_at;
        handed = r.processes;
        // The old daemon holds the start lock until it exits: wait for it to close our connection.
        await closed;
      });
      await withClient(async (c) => {
        const d = await c.daemon();
        // The new daemon restored the list before it served us: the apps are up again now.
        const { processes } = await c.call('process.list');
        const upAgain = Date.now();
        const from = old as { pid: number; version: string } | null;
        process.stdout.write(
          `Daemon updated: pid ${from?.pid} (${from?.version}) -> pid ${d.pid} (${d.version}); ` +
            `${processes.length} of ${handed} process${handed === 1 ? '' : 'es'} restored.\n` +
            `Apps were down for ${upAgain - stoppingAt} ms (from the first stop to all restored: stopping ` +
            `${stoppedAt - stoppingAt} ms, new daemon and restore ${upAgain - stoppedAt} ms).\n`,
        );
        if (processes.length > 0) printTable(processes);
      });
    });
}
