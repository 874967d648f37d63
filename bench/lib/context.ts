// What a scenario gets: the tools (fresh homes, killed when the scenario ends), sizes and run counts for the
// mode (full or --quick), the notify socket, a scratch folder, and free ports.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stopAllTracked } from './child.js';
import type { NotifyServer } from './notify.js';
import type { Peers } from './peers.js';
import type { AaRow, Row } from './rows.js';
import { Pm2Tool, TendTool, type Tool } from './tools.js';

export interface ScenarioResult {
  rows: Row[];
  aa?: AaRow[];
}

export interface Scenario {
  number: number;
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

let fileCounter = 0;

/** Every tool created, so the exit handler can kill what a crashed scenario left behind. */
export const allTools = new Set<Tool>();

export class BenchContext {
  private readonly tools = new Set<Tool>();

  constructor(
    readonly quick: boolean,
    private readonly runsOverride: number | null,
    readonly peers: Peers | null,
    /** bin/tend.js of the build under test (a snapshot: see lib/build.ts). */
    readonly tendCli: string,
    readonly notify: NotifyServer,
    /** Scratch folder for ecosystem files and floor logs (outside the repository). */
    readonly work: string,
    readonly log: (msg: string) => void,
  ) {}

  /** How many runs: --runs N if given, else the scenario's default for the mode. */
  runs(full: number, quick = 2): number {
    return this.runsOverride ?? (this.quick ? quick : full);
  }

  size<T>(full: T, quick: T): T {
    return this.quick ? quick : full;
  }

  /** True when PM2 takes part (not in --quick). */
  get withPm2(): boolean {
    return this.peers !== null;
  }

  private track<T extends Tool>(t: T): T {
    this.tools.add(t);
    allTools.add(t);
    return t;
  }

  /**
   * A tend with a fresh TEND_HOME, daemon up. `settings`: the text of $TEND_HOME/tend.config.yaml, written
   * before the daemon starts (issue 14's listeners).
   */
  async tend(label = 'tend', slug = 't', settings?: string): Promise<Tool> {
    const t = this.track(new TendTool(label, slug, this.tendCli, { BENCH_NOTIFY: this.notify.path }));
    if (settings !== undefined) writeFileSync(join(t.home, 'tend.config.yaml'), settings, { mode: 0o600 });
    await t.up();
    return t;
  }

  /** PM2 with a fresh PM2_HOME, daemon up; null in --quick. */
  async pm2(): Promise<Tool | null> {
    if (!this.peers) return null;
    const t = this.track(new Pm2Tool(this.peers.pm2Bin, { BENCH_NOTIFY: this.notify.path }));
    await t.up();
    return t;
  }

  /** tend, then PM2 unless --quick: the subjects of an interleaved comparison. */
  async both(): Promise<Tool[]> {
    const [t, p] = await Promise.all([this.tend(), this.pm2()]);
    return p ? [t, p] : [t];
  }

  /** Kills one tool now (a scenario that wants a fresh home per run). */
  async release(t: Tool): Promise<void> {
    await t.kill();
    this.tools.delete(t);
    allTools.delete(t);
  }

  /** Kills every tool and hand-started process of the scenario. */
  async cleanup(): Promise<void> {
    await Promise.all([...this.tools].map((t) => this.release(t)));
    await stopAllTracked();
  }

  /** An environment for processes the bench starts by hand (the floors). */
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, BENCH_NOTIFY: this.notify.path };
  }

  /** Writes an ecosystem file (CommonJS, PM2's format, which tend reads too) into the scratch folder. */
  ecosystem(stem: string, apps: Record<string, unknown>[]): string {
    // A new name each time: no tool may mistake it for one it has seen.
    const path = join(this.work, `${stem}-${++fileCounter}.config.js`);
    writeFileSync(path, `module.exports = ${JSON.stringify({ apps }, null, 2)};\n`);
    return path;
  }

  /** `n` distinct TCP ports, each free on 127.0.0.1 right now. */
  async freePorts(n: number): Promise<number[]> {
    const ports = new Set<number>();
    while (ports.size < n) ports.add(await this.freePort());
    return [...ports];
  }

  /** A TCP port free on 127.0.0.1 right now. */
  freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const addr = s.address();
        const port = typeof addr === 'object' && addr ? addr.port : 0;
        s.close(() => resolve(port));
      });
    });
  }
}

/** Runs fn for each subject in turn, round after round (A B A B …), collecting each subject's samples. */
export async function interleave<K extends string>(
  runs: number,
  subjects: readonly K[],
  fn: (subject: K, run: number) => Promise<number>,
): Promise<Record<K, number[]>> {
  const out = Object.fromEntries(subjects.map((s) => [s, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < runs; r++) for (const s of subjects) out[s].push(await fn(s, r));
  return out;
}
