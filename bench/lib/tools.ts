// The tools under test behind one small interface: a fresh home each, its CLI timed as a user runs it, its
// daemon's pid, its process list, and a kill that always leaves nothing behind (the tool's own kill, then
// SIGKILL by pid for anything still alive — never by name).
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/index.js';
import { mustRun, type TimedRun, timedRun } from './child.js';
import { isAlive, killPid } from './proc.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const APPS = join(ROOT, 'bench', 'apps');

export type ToolKind = 'tend' | 'pm2';

export interface AppInfo {
  name: string;
  pid: number | null;
  status: string;
  outLog: string;
}

export interface Tool {
  readonly kind: ToolKind;
  /** How the table names it: "tend", "PM2", "tend A'". */
  readonly label: string;
  /** Short and unique among the tools of a run: prefixes the tags apps announce themselves with. */
  readonly slug: string;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs the tool's CLI (timed), whatever its exit status. */
  cli(args: readonly string[], opts?: { cwd?: string }): Promise<TimedRun>;
  /** Runs the tool's CLI and fails on a non-zero exit. */
  run(args: readonly string[], opts?: { cwd?: string }): Promise<TimedRun>;
  /** Starts the daemon (untimed set-up). */
  up(): Promise<void>;
  daemonPid(): number;
  outLogPath(name: string): string;
  apps(): Promise<AppInfo[]>;
  /** Resolves when every app named has all its instances online. */
  waitOnline(names: readonly string[], timeoutMs?: number): Promise<void>;
  /** Stops everything it started and removes its home. Safe to call twice. */
  kill(): Promise<void>;
  /** Last resort from a process 'exit' handler: SIGKILL the daemon and every app pid seen. */
  killSync(): void;
}

function freshHome(prefix: string): string {
  // Short: Unix socket paths are limited to 107 bytes.
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

abstract class BaseTool implements Tool {
  abstract readonly kind: ToolKind;
  readonly env: NodeJS.ProcessEnv;
  protected readonly seenPids = new Set<number>();
  private killed = false;

  constructor(
    readonly label: string,
    readonly slug: string,
    readonly home: string,
    homeVar: 'TEND_HOME' | 'PM2_HOME',
    extraEnv: NodeJS.ProcessEnv,
    private readonly bin: string,
  ) {
    this.env = { ...process.env, [homeVar]: home, NO_COLOR: '1', ...extraEnv };
  }

  cli(args: readonly string[], opts: { cwd?: string } = {}): Promise<TimedRun> {
    return timedRun(process.execPath, [this.bin, ...args], {
      env: this.env,
      cwd: opts.cwd ?? this.home,
      timeoutMs: 120_000,
    });
  }

  run(args: readonly string[], opts: { cwd?: string } = {}): Promise<TimedRun> {
    return mustRun(process.execPath, [this.bin, ...args], {
      env: this.env,
      cwd: opts.cwd ?? this.home,
      timeoutMs: 120_000,
    });
  }

  async up(): Promise<void> {
    await this.run(['ping']);
    this.seenPids.add(this.daemonPid());
  }

  /** Where the tool writes an app's stdout (both put it in <home>/logs/<name>-out.log). */
  outLogPath(name: string): string {
    return join(this.home, 'logs', `${name}-out.log`);
  }

  abstract daemonPid(): number;
  abstract apps(): Promise<AppInfo[]>;
  abstract waitOnline(names: readonly string[], timeoutMs?: number): Promise<void>;
  protected abstract pidFile(): string;

  protected remember(apps: AppInfo[]): AppInfo[] {
    for (const a of apps) if (a.pid) this.seenPids.add(a.pid);
    return apps;
  }

  async kill(): Promise<void> {
    if (this.killed) return;
    this.killed = true;
    if (existsSync(this.pidFile())) {
      await this.apps().catch(() => []);
      await this.cli(['kill']).catch(() => undefined);
    }
    this.killSync();
    rmSync(this.home, { recursive: true, force: true });
  }

  killSync(): void {
    try {
      this.seenPids.add(this.daemonPid());
    } catch {
      // no pid file
    }
    for (const pid of this.seenPids) if (isAlive(pid)) killPid(pid);
  }
}

export class TendTool extends BaseTool {
  readonly kind = 'tend';

  /** cli: the bin/tend.js to run (the bench's snapshot of the build, see lib/build.ts). */
  constructor(label: string, slug: string, cli: string, extraEnv: NodeJS.ProcessEnv = {}) {
    super(label, slug, freshHome('tb-t-'), 'TEND_HOME', extraEnv, cli);
  }

  protected pidFile(): string {
    return join(this.home, 'daemon.pid');
  }

  daemonPid(): number {
    return Number(readFileSync(this.pidFile(), 'utf8').trim());
  }

  async apps(): Promise<AppInfo[]> {
    const c = await connect({ home: this.home, spawn: false });
    try {
      const { processes } = await c.call('process.list');
      return this.remember(
        processes.map((p) => ({ name: p.name, pid: p.pid, status: p.status, outLog: p.out_log })),
      );
    } finally {
      await c.close();
    }
  }

  /** Waits on the daemon's events (snapshot, then process.state), no polling. */
  async waitOnline(names: readonly string[], timeoutMs = 60_000): Promise<void> {
    const want = new Set(names);
    const status = new Map<number, { name: string; status: string }>();
    const done = () =>
      [...want].every((n) => {
        const mine = [...status.values()].filter((s) => s.name === n);
        return mine.length > 0 && mine.every((s) => s.status === 'online');
      });
    const client = await connect({ home: this.home, spawn: false });
    let wake = () => {};
    try {
      const sub = await client.subscribe((e) => {
        if (e.event === 'process.state') status.set(e.data.id, { name: e.data.name, status: e.data.to });
        else if (e.event === 'process.deleted') status.delete(e.data.id);
        wake();
      });
      // An event may have been handled before this line runs: it is newer than the snapshot.
      for (const p of sub.processes)
        if (!status.has(p.id)) status.set(p.id, { name: p.name, status: p.status });
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline)
          throw new Error(`tend: not all of ${names.length} apps online within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.max(0, deadline - Date.now()) + 1);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    } finally {
      await client.close();
    }
  }
}

interface Pm2Entry {
  name: string;
  pid: number;
  pm2_env?: { status?: string; pm_out_log_path?: string };
}

export class Pm2Tool extends BaseTool {
  readonly kind = 'pm2';

  constructor(pm2Bin: string, extraEnv: NodeJS.ProcessEnv = {}) {
    super('PM2', 'p', freshHome('tb-p-'), 'PM2_HOME', extraEnv, pm2Bin);
  }

  protected pidFile(): string {
    return join(this.home, 'pm2.pid');
  }

  daemonPid(): number {
    return Number(readFileSync(this.pidFile(), 'utf8').trim());
  }

  async apps(): Promise<AppInfo[]> {
    const r = await this.run(['jlist']);
    const list = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Pm2Entry[];
    return this.remember(
      list.map((p) => ({
        name: p.name,
        pid: p.pid || null,
        status: p.pm2_env?.status ?? 'unknown',
        outLog: p.pm2_env?.pm_out_log_path ?? '',
      })),
    );
  }

  /** PM2 offers no event stream to its CLI users, so this polls `pm2 jlist`, as a script would. */
  async waitOnline(names: readonly string[], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const apps = await this.apps();
      const ok = names.every((n) => {
        const mine = apps.filter((a) => a.name === n);
        return mine.length > 0 && mine.every((a) => a.status === 'online');
      });
      if (ok) return;
      if (Date.now() > deadline)
        throw new Error(`PM2: not all of ${names.length} apps online within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
