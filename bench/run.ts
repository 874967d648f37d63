// `npm run bench`: tend against PM2, scenario by scenario, interleaved, each tool in its own fresh home; a
// table of medians, ratios, floors and targets on stdout and every raw run in a JSON file. `--quick` runs tend
// alone with tiny sizes (the smoke test runs it). Whatever happens, everything the bench started is killed,
// by pid.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseOptions, USAGE } from './lib/args.js';
import { snapshotBuild } from './lib/build.js';
import { killAllTrackedSync, nowMs } from './lib/child.js';
import { allTools, BenchContext, type Scenario } from './lib/context.js';
import { describeMachine, machineLine } from './lib/machine.js';
import { NotifyServer } from './lib/notify.js';
import { ensurePeers, type Peers } from './lib/peers.js';
import { type AaRow, cellSummary, judge, NONE, type Row } from './lib/rows.js';
import { median } from './lib/stats.js';
import { renderAa, renderTable } from './lib/table.js';
import { ROOT } from './lib/tools.js';
import { scenarios } from './scenarios/index.js';

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

function select(only: string[] | null): Scenario[] {
  if (!only) return [...scenarios];
  const picked = only.map((key) => {
    const s = scenarios.find((x) => x.id === key || String(x.number) === key);
    if (!s)
      throw new Error(
        `--only: no scenario "${key}" (have: ${scenarios.map((x) => `${x.number} ${x.id}`).join(', ')})`,
      );
    return s;
  });
  return scenarios.filter((s) => picked.includes(s));
}

/** Last resort on any exit: SIGKILL by pid every daemon and app the bench knows of. */
function killEverythingSync(): void {
  for (const t of allTools) t.killSync();
  killAllTrackedSync();
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseOptions>;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(
      `${USAGE}\n\nScenarios:\n${scenarios.map((s) => `  ${s.number} ${s.id}: ${s.title}`).join('\n')}\n`,
    );
    return 0;
  }
  let chosen: Scenario[];
  try {
    chosen = select(opts.only);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }

  const peers: Peers | null = opts.quick ? null : ensurePeers(log);
  const machine = describeMachine(peers?.pm2Version ?? null);
  process.stdout.write(`${machineLine(machine)}\n`);
  process.stdout.write(
    `command: npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\n`,
  );

  const work = realpathSync(mkdtempSync(join(tmpdir(), 'tb-w-')));
  let tendCli: string;
  try {
    tendCli = await snapshotBuild(work);
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    return 1;
  }
  const notify = await NotifyServer.listen(join(work, 'notify.sock'));
  const rows: Row[] = [];
  const aa: AaRow[] = [];
  const failures: { scenario: string; error: string }[] = [];
  const started = nowMs();
  try {
    for (const s of chosen) {
      const ctx = new BenchContext(opts.quick, opts.runs, peers, tendCli, notify, work, log);
      const t0 = nowMs();
      log(`${s.number} ${s.id}: ${s.title}`);
      try {
        const r = await s.run(ctx);
        rows.push(...r.rows);
        aa.push(...(r.aa ?? []));
        log(`${s.number} ${s.id}: done in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        failures.push({ scenario: s.id, error: msg });
        rows.push({
          number: s.number,
          scenario: s.id,
          label: `ERROR: ${msg.split('\n')[0]}`,
          unit: 'ms',
          tend: NONE,
          pm2: NONE,
          floor: NONE,
          targets: [],
        });
        log(`${s.number} ${s.id}: FAILED: ${err instanceof Error ? (err.stack ?? msg) : msg}`);
      } finally {
        await ctx.cleanup();
      }
    }
  } finally {
    await notify.close();
    rmSync(work, { recursive: true, force: true });
  }

  process.stdout.write(`\n${renderTable(rows, 'text')}\n`);
  // A note shared by several rows of a scenario is printed once.
  const notes = rows
    .filter((r, i) => r.note && !rows.slice(0, i).some((p) => p.scenario === r.scenario && p.note === r.note))
    .map((r) => `  ${r.number} ${r.scenario}, ${r.label}: ${r.note}`);
  if (notes.length > 0) process.stdout.write(`\nnotes:\n${notes.join('\n')}\n`);
  if (aa.length > 0) {
    process.stdout.write(`\n${renderAa(aa, 'text')}\n`);
    const worst = Math.max(...aa.map((r) => Math.abs(median(r.a) / median(r.b) - 1)));
    process.stdout.write(
      `noise: tend against itself differed by up to ${(worst * 100).toFixed(0)}% in this run; ` +
        'read smaller tend/PM2 or tend/floor differences as noise\n',
    );
  }
  if (opts.markdown) {
    process.stdout.write(`\n${renderTable(rows, 'markdown')}\n`);
    if (aa.length > 0) process.stdout.write(`\n${renderAa(aa, 'markdown')}\n`);
  }
  const verdicts = rows.map(judge);
  process.stdout.write(
    `\ntargets: ${verdicts.filter((v) => v === true).length} pass, ${verdicts.filter((v) => v === false).length} fail` +
      `; took ${((nowMs() - started) / 1000).toFixed(0)} s\n`,
  );

  // .bench/ is ignored by git and by the linter already (the file is machine-made, and each machine has its own).
  const jsonPath = opts.json ?? join(ROOT, 'bench', '.bench', 'latest.json');
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(
    jsonPath,
    `${JSON.stringify(
      {
        machine,
        options: opts,
        failures,
        rows: rows.map((r) => ({
          ...r,
          summary: { tend: cellSummary(r.tend), pm2: cellSummary(r.pm2), floor: cellSummary(r.floor) },
          pass: judge(r),
        })),
        aa,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`raw runs: ${relative(process.cwd(), jsonPath) || jsonPath}\n`);
  return failures.length > 0 ? 1 : 0;
}

process.on('exit', killEverythingSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    log(`${sig}: killing everything the bench started`);
    killEverythingSync();
    process.exit(130);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
