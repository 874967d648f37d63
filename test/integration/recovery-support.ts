// Shared by the recovery tests: a home whose app scripts live inside it (so every process of one test is
// found by its command line, whatever other tests run at the same time), the process table, cleanup by pid.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ProcessInfo } from '../../src/protocol/process-info.js';
import { isGone, readProcStat } from '../../src/runtime/proc-stat.js';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';
import { waitGone } from '../helpers/wait-gone.js';

export interface Home {
  home: string;
  apps: string;
  /** Copies a fixture into the home's apps/ folder; returns its path. */
  app(fixture: string, as?: string): string;
  cli(...args: string[]): ReturnType<typeof runCli>;
  jlist(): Promise<{ processes: ProcessInfo[]; stderr: string }>;
  daemonPid(): number;
  /** tend kill, then SIGKILL whatever still runs from apps/ (and the given pids), then remove the home. */
  cleanup(extra?: readonly number[]): Promise<void>;
}

export function makeHome(): Home {
  const tmp = makeTmpHome();
  const apps = join(tmp.home, 'apps');
  mkdirSync(apps);
  const h: Home = {
    home: tmp.home,
    apps,
    app(fixture, as = fixture) {
      const to = join(apps, as);
      copyFileSync(join(FIXTURES, fixture), to);
      return to;
    },
    cli: (...args) => runCli(args, { home: tmp.home, cwd: apps }),
    async jlist() {
      const r = await h.cli('jlist');
      if (r.code !== 0) throw new Error(`jlist failed: ${r.stderr}`);
      return { processes: JSON.parse(r.stdout) as ProcessInfo[], stderr: r.stderr };
    },
    daemonPid: () => Number(readFileSync(join(tmp.home, 'daemon.pid'), 'utf8')),
    async cleanup(extra = []) {
      let daemon: number | null = null;
      try {
        daemon = h.daemonPid();
      } catch {
        // no daemon running
      }
      await h.cli('kill').catch(() => {});
      // The daemon writes its last state.json and log line after replying: let it finish before removing.
      if (daemon !== null) await waitGone(daemon, { what: 'the daemon' }).catch(() => {});
      for (const pid of [...pidsRunning(apps), ...extra]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      tmp.remove();
    },
  };
  return h;
}

/** Live processes whose command line mentions `needle` (zombies excluded). */
export function pidsRunning(needle: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.includes(needle) && !isGone(readProcStat(Number(name)))) found.push(Number(name));
  }
  return found;
}

/** pid → start time, to tell later whether that very process still exists. */
export function identify(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const stat = readProcStat(pid);
    if (stat && !isGone(stat)) out.set(pid, stat.starttime);
  }
  return out;
}

/** Those of `processes` (pid → start time) that still run. */
export function stillRunning(processes: Map<number, number>): number[] {
  return [...processes]
    .filter(([pid, st]) => {
      const stat = readProcStat(pid);
      return !isGone(stat) && stat?.starttime === st;
    })
    .map(([pid]) => pid);
}

export function pgidOf(pid: number): number | undefined {
  return readProcStat(pid)?.pgid;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, null, 2));
}

interface StateView {
  apps: { spec: { name: string }; units: { id: number; wanted: string; pid?: number | null }[] }[];
}

/**
 * state.json is written just after the events of a change (coalesced), possibly after the command's reply:
 * a test that kills the daemon right after a command first waits for the write that shows it (watching the
 * folder: the file is replaced by rename).
 */
export function waitForState(home: string, ok: (s: StateView) => boolean): Promise<StateView> {
  const file = join(home, 'state.json');
  const read = (): StateView | null => {
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as StateView;
      return ok(s) ? s : null;
    } catch {
      return null;
    }
  };
  return new Promise((resolve, reject) => {
    const done = (s: StateView) => {
      watcher.close();
      clearTimeout(timer);
      resolve(s);
    };
    const watcher = watch(home, () => {
      const s = read();
      if (s) done(s);
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error('state.json never showed the expected state'));
    }, 10_000);
    const now = read();
    if (now) done(now);
  });
}
