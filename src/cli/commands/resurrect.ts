// `tend resurrect`: bring back the list `tend save` wrote (same names, ids when free, env and options).
import type { Command } from 'commander';
import { printTable, warn, withClient } from '../session.js';

export function register(program: Command): void {
  program
    .command('resurrect')
    .description('start the apps saved by "tend save" (dump.json); apps already running are skipped')
    .action(() =>
      withClient(async (c) => {
        const r = await c.call('daemon.resurrect');
        for (const w of r.warnings) warn(w, 'TEND_ERR_DUMP_CORRUPT');
        for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
        for (const s of r.skipped) process.stdout.write(`Skipped ${s.name}: ${s.reason}\n`);
        process.stdout.write(
          `Resurrected ${r.processes.length} process${r.processes.length === 1 ? '' : 'es'} from ${r.file}\n`,
        );
        if (r.processes.length > 0) printTable(r.processes);
        const failed = r.processes.filter((p) => p.status === 'errored');
        for (const p of failed)
          warn(
            `${p.name} (id ${p.id}) did not start: ${p.last_error ?? 'see tend describe'}`,
            'TEND_ERR_APP_ERRORED',
          );
      }),
    );
}
