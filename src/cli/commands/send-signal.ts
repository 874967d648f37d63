// `tend sendSignal <signal> <target...>` (PM2's name): the signal goes to each instance's process.
import type { Command } from 'commander';
import { warn, withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('sendSignal')
    .alias('send-signal')
    .argument('<signal>', 'a signal name (SIGUSR2, USR2, any case) or number')
    .argument('<target...>', 'id, name, namespace or "all"')
    .description(
      'send a signal to every matching instance (the process itself, not its group; cluster: the worker)',
    )
    .action((signal: string, target: string[]) =>
      withClient(async (c) => {
        const r = await c.call('process.signal', { signal, target });
        for (const s of r.skipped)
          warn(`${s.name} [${s.id}] is ${s.status}: skipped`, 'TEND_ERR_NOT_RUNNING');
        const to = r.processes.map((p) => `${p.name} [${p.id}] (pid ${p.pid})`).join(', ');
        process.stdout.write(`sent ${r.signal} to ${to}\n`);
      }),
    );
}
