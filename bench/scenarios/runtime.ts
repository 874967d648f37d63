// 19. tend-runtime (issue 15), the container runtime, against `node app.js` alone (the floor) and
// pm2-runtime (same PM2 package as the PM2 rows): start to app ready, SIGTERM to exit with a cooperative app,
// and the runtime's RSS with one app. Each run is a fresh process, as a container start is; the three are
// interleaved (floor, tend, PM2, floor, …). The runtime is started as users start it, by executing
// bin/tend-runtime.js, with its health listener on (its default) on a free port; pm2-runtime with a fresh
// PM2_HOME. tend-runtime spawns the app before it loads its HTTP layer (the address is bound before), so the
// two overlap on the machine's cores: on a loaded machine the start figure moves more than the floor's.
//
// As root, each run is PID 1 of its own PID namespace with its own /proc (`unshare --pid --fork --mount-proc`),
// as in a container: tend-runtime then goes through bin/tend-init.sh (sh as PID 1, Node its child), the
// others are Node as PID 1, SIGTERM goes to PID 1 as `docker stop` sends it, and the runtime's /proc scans
// (stopping an app reaps its whole tree) see the container's few processes, not the host's hundreds.
// Without root, plain processes (the note says so).
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { app } from '../lib/apps.js';
import { mustRun, nowMs, spawnTracked, timedRun } from '../lib/child.js';
import type { BenchContext, Scenario } from '../lib/context.js';
import { get } from '../lib/http.js';
import { rssMiB } from '../lib/proc.js';
import { type Cell, cell, NONE, na, type Row } from '../lib/rows.js';
import { median } from '../lib/stats.js';

/** tend: tend-runtime with a launch plan written at "image build" (docs/kubernetes.md); unplanned: without. */
type Subject = 'floor' | 'tend' | 'unplanned' | 'pm2';

/** tend-runtime's plan and arguments, written once before the runs as a Dockerfile's RUN would. */
interface Planned {
  file: string;
  eco: string;
  port: number;
}

interface Sample {
  /** spawn → the app's "ready" note. */
  startMs: number;
  /** SIGTERM → the process's exit. */
  stopMs: number;
  /** RSS of the process started (the runtime; the app itself for the floor), once the app is ready. */
  rssMiB: number;
  /** tend-runtime: its RSS once its first /readyz is answered (the HTTP layer loads then); NaN for the others. */
  probedMiB: number;
  /** The same RSS `settleMs` later (once()'s option), or NaN. tend-runtime is probed once at ready first. */
  settledMiB: number;
}

/**
 * How long the settled RSS waits after the app is ready: V8's memory reducer (idle-time GCs that give the
 * young generation and free pages back) runs about 8 s after a process's first full GC.
 */
const SETTLE_MS = 15_000;

/** Waits for the child's exit; resolves with the time it came. */
function exitAt(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(nowMs());
  return new Promise((resolve) => child.once('exit', () => resolve(nowMs())));
}

/** `unshare --pid --fork --mount-proc` works here (root, the tool present, allowed). */
function namespaces(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
}

/** The only child of `pid` (unshare --fork's PID 1; tend-init.sh's Node). */
function onlyChild(pid: number): number {
  const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
  if (kids.length !== 1 || kids[0] === '') throw new Error(`process ${pid} has children [${kids.join(' ')}]`);
  return Number(kids[0]);
}

async function once(
  ctx: BenchContext,
  subject: Subject,
  run: number,
  runtimeBin: string,
  ns: boolean,
  planned: Planned,
  settleMs = 0,
): Promise<Sample> {
  // The planned runs share one config and one address: the plan is for those arguments (one tag, then).
  const tag = subject === 'tend' ? 'rt-tend' : `rt-${subject}-${run}${settleMs > 0 ? '-settled' : ''}`;
  const idle = app('cooperative.cjs');
  let cmd: string;
  let args: string[];
  let port = 0;
  const env: NodeJS.ProcessEnv = { ...ctx.env };
  if (subject === 'floor') {
    cmd = process.execPath;
    args = [idle, tag];
  } else if (subject === 'tend') {
    cmd = runtimeBin;
    port = planned.port;
    args = [planned.eco, '--health-listen', `127.0.0.1:${port}`];
    delete env.TEND_HOME;
    env.TEND_RUNTIME_PLAN = planned.file;
  } else if (subject === 'unplanned') {
    cmd = runtimeBin;
    port = await ctx.freePort();
    args = [
      ctx.ecosystem('rt', [{ name: tag, script: idle, args: [tag] }]),
      '--health-listen',
      `127.0.0.1:${port}`,
    ];
    delete env.TEND_HOME;
  } else {
    const pm2Bin = ctx.peers?.pm2Bin as string;
    cmd = join(dirname(pm2Bin), 'pm2-runtime');
    args = [ctx.ecosystem('rt', [{ name: tag, script: idle, args: [tag] }])];
    env.PM2_HOME = mkdtempSync(join(ctx.work, 'pm2rt-'));
  }
  const since = ctx.notify.mark();
  const t0 = nowMs();
  // --kill-child: if the bench kills unshare, the kernel kills the namespace's PID 1, and with it the rest.
  const argv = ns
    ? ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child', cmd, ...args]
    : [cmd, ...args];
  const child = spawnTracked(argv[0] as string, argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let said = '';
  // tend-runtime says "every app is ready" once it has its apps (adopted or spawned) and they are ready.
  let runtimeReady: () => void = () => {};
  const runtimeIsReady = new Promise<void>((resolve) => {
    runtimeReady = resolve;
  });
  child.stderr?.on('data', (b: Buffer) => {
    said = (said + b.toString('utf8')).slice(-8000);
    if (said.includes('tend-runtime: every app is ready')) runtimeReady();
  });
  const closed = new Promise((resolve) => child.once('close', resolve));
  const ended = exitAt(child);
  const ready = await Promise.race([
    ctx.notify.waitFor((n) => n.kind === 'ready' && n.tag === tag, { since, what: `${tag} ready` }),
    ended.then(() => {
      throw new Error(
        `${subject}: ${cmd} exited (${child.exitCode ?? child.signalCode}) before the app was ready: ${said.trim()}`,
      );
    }),
  ]);
  const startMs = ready.at - t0;

  // The process to signal (PID 1) and the one to weigh (the runtime's Node, the app for the floor).
  const pid1 = ns ? onlyChild(child.pid as number) : (child.pid as number);
  const weighed = ns && subject !== 'floor' && subject !== 'pm2' ? onlyChild(pid1) : pid1;
  // With a launch plan the app is ready before the runtime has read its config: its RSS is weighed once the
  // runtime has its app too (the same moment as without a plan: the runtime up, its app ready, no probe yet).
  if (subject === 'tend' || subject === 'unplanned')
    await Promise.race([
      runtimeIsReady,
      ended.then(() => {
        throw new Error(`${subject}: exited before it said every app is ready: ${said.trim()}`);
      }),
    ]);
  const rss = rssMiB(weighed);
  // As a kubelet's first probe: the runtime loads its HTTP layer at the first connection.
  let probed = Number.NaN;
  if (subject === 'tend' || subject === 'unplanned') {
    const reply = await get(port, '/readyz');
    if (reply.status !== 200)
      throw new Error(`tend: /readyz answered ${reply.status} once the app was ready`);
    probed = rssMiB(weighed);
  }
  let settled = Number.NaN;
  if (settleMs > 0) {
    // The bench waits on purpose: what is measured is the process left alone this long.
    await new Promise((r) => setTimeout(r, settleMs));
    settled = rssMiB(weighed);
  }
  const t1 = nowMs();
  process.kill(pid1, 'SIGTERM');
  // A safety net only: a process that ignores SIGTERM (PID 1 without a handler) must not hang the bench.
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${subject}: no exit within 30 s of SIGTERM`)), 30_000);
  });
  const stopMs = (await Promise.race([ended, stuck]).finally(() => clearTimeout(timer))) - t1;
  // A planned run that did not use its plan would measure the other row under this one's name.
  if (subject === 'tend') {
    await closed;
    if (!/launch plan: the app's process \(pid \d+\) .*adopted/.test(said))
      throw new Error(`tend: the launch plan was not used: ${said.trim()}`);
  }
  return { startMs, stopMs, rssMiB: rss, probedMiB: probed, settledMiB: settled };
}

/** null when bin/tend-runtime.js runs the real runtime; else why not (the contract's stub). */
async function runtimeMissing(runtimeBin: string): Promise<string | null> {
  const r = await timedRun(runtimeBin, ['--help'], { timeoutMs: 20_000 });
  return r.code === 0 ? null : 'needs the tend-runtime core (src/container/run.ts is the stub)';
}

export const scenario: Scenario = {
  number: 19,
  id: 'runtime',
  title:
    'tend-runtime vs node app.js alone vs pm2-runtime: start to app ready, SIGTERM to exit (cooperative app), runtime RSS with one app',
  async run(ctx) {
    const runtimeBin = join(dirname(ctx.tendCli), 'tend-runtime.js');
    const base = { number: scenario.number, scenario: scenario.id };
    const missing = await runtimeMissing(runtimeBin);
    if (missing) {
      return {
        rows: ['start to app ready', 'SIGTERM to exit', 'runtime RSS, 1 app'].map(
          (label): Row => ({
            ...base,
            label,
            unit: label.endsWith('app') ? 'MiB' : 'ms',
            tend: na(missing),
            pm2: na(missing),
            floor: NONE,
            targets: [],
          }),
        ),
      };
    }
    const runs = ctx.runs(10, 2);
    const subjects: Subject[] = ctx.withPm2
      ? ['floor', 'tend', 'unplanned', 'pm2']
      : ['floor', 'tend', 'unplanned'];
    const samples = new Map<Subject, Sample[]>(subjects.map((s) => [s, []]));
    const ns = namespaces();
    // The launch plan, as an image's build writes it (`RUN tend-runtime plan …`, docs/kubernetes.md), for the
    // arguments every planned run uses.
    const planned: Planned = {
      file: join(ctx.work, 'rt-tend.plan'),
      eco: ctx.ecosystem('rt', [{ name: 'rt-tend', script: app('cooperative.cjs'), args: ['rt-tend'] }]),
      port: await ctx.freePort(),
    };
    const planEnv: NodeJS.ProcessEnv = { ...ctx.env };
    delete planEnv.TEND_HOME;
    await mustRun(
      runtimeBin,
      ['plan', planned.eco, '--health-listen', `127.0.0.1:${planned.port}`, '--out', planned.file],
      { timeoutMs: 20_000, env: planEnv },
    );
    for (let r = 0; r < runs; r++)
      for (const s of subjects) samples.get(s)?.push(await once(ctx, s, r, runtimeBin, ns, planned));
    // One more run of each, side by side, left alone SETTLE_MS after ready: the RSS a pod keeps.
    const settled = new Map<Subject, Sample>();
    await Promise.all(
      subjects
        .filter((s) => s !== 'unplanned')
        .map(async (s) => settled.set(s, await once(ctx, s, runs, runtimeBin, ns, planned, SETTLE_MS))),
    );
    const how = ns
      ? 'each run PID 1 of its own PID namespace (unshare), as in a container'
      : "plain processes (not root: no PID namespace), the host's /proc";

    const of = (s: Subject, k: keyof Sample): Cell =>
      samples.has(s) ? cell((samples.get(s) ?? []).map((x) => x[k])) : na('skipped (--quick)');
    const stopOver =
      median((samples.get('tend') ?? []).map((x) => x.stopMs)) -
      median((samples.get('floor') ?? []).map((x) => x.stopMs));
    const rows: Row[] = [
      {
        ...base,
        label: 'start to app ready; floor: node app.js',
        unit: 'ms',
        tend: of('tend', 'startMs'),
        pm2: of('pm2', 'startMs'),
        floor: of('floor', 'startMs'),
        targets: [{ kind: 'ratio', against: 'floor', op: '<=', value: 1.2 }],
        note: `spawn to the app's "ready" on the bench socket; the runtime with its health listener on and a launch plan (tend-runtime plan, written once before the runs as an image build does: the app starts from sh before the runtime's Node, which adopts it); ${how}`,
      },
      {
        ...base,
        label: 'start to app ready, without a launch plan; floor: node app.js',
        unit: 'ms',
        tend: of('unplanned', 'startMs'),
        pm2: of('pm2', 'startMs'),
        floor: of('floor', 'startMs'),
        targets: [],
        note: "the same without TEND_RUNTIME_PLAN: the runtime's Node reads the config before it spawns the app (docs/performance.md, session 18: no less than ×1.39 of the floor that way)",
      },
      {
        ...base,
        label: 'SIGTERM to exit, cooperative app; floor: the app alone',
        unit: 'ms',
        tend: of('tend', 'stopMs'),
        pm2: of('pm2', 'stopMs'),
        floor: of('floor', 'stopMs'),
        targets: [
          {
            kind: 'custom',
            text: 'within 50 ms of the floor',
            pass: Number.isFinite(stopOver) ? stopOver <= 50 : null,
          },
        ],
        note: `the runtime's exit minus the app's own: ${stopOver.toFixed(1)} ms (medians)`,
      },
      {
        ...base,
        label: 'runtime RSS, 1 app, at ready; floor: the idle app',
        unit: 'MiB',
        tend: of('tend', 'rssMiB'),
        pm2: of('pm2', 'rssMiB'),
        floor: of('floor', 'rssMiB'),
        targets: [{ kind: 'abs', op: '<=', value: 45 }],
        note: "the runtime's own process (the app's RSS is apart), at the moment the app says ready, before any probe (tend-runtime loads its HTTP layer at the first connection to its health address) or /metrics scrape (prom-client at the first: +~5 MiB); pm2-runtime's likewise",
      },
      {
        ...base,
        label: 'runtime RSS, 1 app, after the first /readyz',
        unit: 'MiB',
        tend: of('tend', 'probedMiB'),
        pm2: na('pm2-runtime has no health endpoint'),
        floor: NONE,
        targets: [{ kind: 'abs', op: '<=', value: 45 }],
        note: "the same runtime right after its first /readyz was answered, as a kubelet's first probe: node:http and the health listener loaded",
      },
      {
        ...base,
        label: `runtime RSS, 1 app, ${SETTLE_MS / 1000} s after ready`,
        unit: 'MiB',
        tend: settled.has('tend') ? cell([settled.get('tend')?.settledMiB ?? Number.NaN]) : na('not run'),
        pm2: settled.has('pm2')
          ? cell([settled.get('pm2')?.settledMiB ?? Number.NaN])
          : na('skipped (--quick)'),
        floor: settled.has('floor') ? cell([settled.get('floor')?.settledMiB ?? Number.NaN]) : NONE,
        targets: [],
        note: `one run of each, started side by side and left alone (tend-runtime probed once at ready): once V8's memory reducer has run (about 8 s after the first full GC), what the process keeps; the target is judged on the row above, at ready`,
      },
    ];
    return { rows };
  },
};
