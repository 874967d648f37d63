// PM2's pid files in a PM2 home (daemon side, issue 17 §1): `pids/<name>-<pm_id>.pid` holds an instance's pid
// (digits, no newline, as PM2 writes it) while it runs; the file goes when the process does (exit, stop,
// delete, the daemon's own stop). Scripts do `kill -USR2 $(cat ~/.pm2/pids/api-0.pid)`. Kept from the event
// bus: a pid appears and goes with a state change (`process.state` carries the instance's pid after it), and
// a reload's replacement takes over the file (`process.reload` replaced). Files left by a daemon that died
// are swept at open. Writes are synchronous: a few bytes in a private directory, ordered with the events
// that caused them (an async write could land after the unlink of a faster exit).
import { closeSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, REPLACE_NOFOLLOW } from '../../runtime/private-dir.js';
import type { EventBus } from '../../supervisor/event-bus.js';
import { pm2PidPath } from './names.js';

export interface PidFilesDeps {
  /** The PM2 home (TEND_HOME). */
  home: string;
  bus: EventBus;
  /** The instances now, for the sweep at open (after a restart of the daemon, or in tests). */
  instances(): Iterable<{ id: number; name: string; pid: number | null }>;
  log(line: string): void;
}

export interface PidFiles {
  close(): Promise<void>;
}

export function openPidFiles(deps: PidFilesDeps): PidFiles {
  const dir = join(deps.home, 'pids');
  ensurePrivateDir(dir, { what: 'the pids directory', fixWritable: true });
  /** id → the file written for it and the pid in it. */
  const written = new Map<number, { file: string; pid: number }>();

  const remove = (id: number) => {
    const w = written.get(id);
    if (!w) return;
    written.delete(id);
    try {
      unlinkSync(w.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        deps.log(`cannot remove ${w.file}: ${String(err)}`);
    }
  };
  const set = (id: number, name: string, pid: number | null) => {
    if (pid === null) return remove(id);
    if (written.get(id)?.pid === pid) return;
    const file = pm2PidPath(deps.home, name, id);
    try {
      const fd = openSync(file, REPLACE_NOFOLLOW, 0o600);
      try {
        writeSync(fd, String(pid));
      } finally {
        closeSync(fd);
      }
      written.set(id, { file, pid });
    } catch (err) {
      // A full disk or a deleted pids/: the process runs on; the file is missing, said in daemon.log.
      deps.log(`cannot write ${file}: ${String(err)}`);
    }
  };

  // Left by a daemon that died: its processes are gone or will be restarted (daemon/recovery.ts).
  for (const entry of safeReaddir(dir)) {
    if (!entry.endsWith('.pid')) continue;
    try {
      unlinkSync(join(dir, entry));
    } catch {
      // gone meanwhile
    }
  }
  for (const u of deps.instances()) set(u.id, u.name, u.pid);

  const unsubscribe = deps.bus.subscribe((e) => {
    if (e.event === 'process.state') set(e.data.id, e.data.name, e.data.process.pid);
    else if (e.event === 'process.reload' && e.data.outcome === 'replaced')
      set(e.data.id, e.data.name, e.data.pid);
    else if (e.event === 'process.deleted') remove(e.data.id);
  });

  return {
    async close() {
      unsubscribe();
      for (const id of [...written.keys()]) remove(id);
    },
  };
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
