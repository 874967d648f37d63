// The log files of one app rotate together: when their live files would hold more than max_size between
// them (or when rotate_interval is due), every writer is held after its write in flight, each non-empty
// file is renamed with the same date stamp (a "generation"), writing resumes into new files, then old
// generations beyond `retain` are deleted and the new ones compressed. So the app's logs never take more
// than max_size × (retain + 1) on disk, and no line is lost, duplicated or split by a rotation.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readdir, unlink } from '../runtime/fs-async.js';
import type { Clock, Timer } from '../supervisor/ports.js';
import { gzipFile } from './compress.js';
import type { LogWriter, Room } from './log-writer.js';
import {
  nextStamp,
  planRetention,
  type RotatedFile,
  roomLeft,
  rotatedMatcher,
  rotatedName,
  stampOf,
} from './rotation-plan.js';
import { nextIntervalAt } from './rotation-schedule.js';

export interface RotationSettings {
  /** Bytes; 0 = no size rotation. */
  max_size: number;
  retain: number;
  compress: boolean;
  /** Cron expression or shorthand; null = none. */
  rotate_interval: string | null;
}

export interface Rotation {
  name: string;
  reason: 'size' | 'interval';
  at: number;
  files: { path: string; rotated_to: string }[];
  deleted: string[];
}

export interface GroupHooks {
  clock: Clock;
  log(line: string): void;
  /** A rotation is complete: files renamed, old ones deleted, new ones compressed. */
  rotated(rotation: Rotation): void;
}

export class RotationGroup implements Room {
  readonly writers = new Set<LogWriter>();
  private rotating: Promise<void> | null = null;
  private lastStamp: number | null = null;
  private timer: Timer | null = null;
  /** Deletions of old generations, one rotation at a time, in order. */
  private retention: Promise<void> = Promise.resolve();
  /** Compressions (and the rotation's event), one at a time, each after its rotation's deletions. */
  private jobs: Promise<void> = Promise.resolve();
  private closed = false;
  /** The live paths of every writer it has had (retention looks for their generations). */
  private readonly paths = new Set<string>();
  /** Live bytes of the writers removed from the group (closed): their files stay where they are. */
  private departed = 0;
  /**
   * A size rotation that could rename nothing (the directory became read-only, say): writing goes on past
   * max_size rather than asking again and again; the next rotation that works clears it.
   */
  private stuck = false;

  constructor(
    readonly name: string,
    readonly settings: RotationSettings,
    private readonly hooks: GroupHooks,
  ) {
    this.arm();
  }

  add(writer: LogWriter): void {
    this.writers.add(writer);
    this.paths.add(writer.path);
    writer.group = this;
  }

  remove(writer: LogWriter): void {
    if (this.writers.delete(writer) && !writer.regular) this.departed += writer.closedSize;
    if (writer.group === this) writer.group = null;
  }

  /**
   * The live files' bytes. A writer that closed (its stream ended first: stdout of an app whose stderr still
   * drains) leaves its file on disk, full, and no rotation moves it: it keeps counting, or the others would
   * fill max_size again beside it and the app's logs pass the bound (found by the suite under load).
   */
  liveBytes(): number {
    let n = this.departed;
    for (const w of this.writers) n += w.regular ? w.size : w.closedSize;
    return n;
  }

  /** Bytes a rotation would move: the open writers' files only. */
  private movableBytes(): number {
    let n = 0;
    for (const w of this.writers) if (w.regular) n += w.size;
    return n;
  }

  room(): number {
    if (this.stuck) return Number.POSITIVE_INFINITY;
    return roomLeft(this.settings.max_size, this.liveBytes());
  }

  hasContent(): boolean {
    return this.movableBytes() > 0;
  }

  /** Rotates now (once at a time; a request during a rotation joins it). */
  rotate(reason: 'size' | 'interval'): Promise<void> {
    // The stamp is the time of the request (the writers may take a moment to become idle).
    this.rotating ??= this.rotateNow(reason, this.hooks.clock.now()).finally(() => {
      this.rotating = null;
      // A writer that asked while this rotation was ending got no room and waits: let each try again (one
      // that still has no room asks for the next rotation).
      for (const w of this.writers) w.kick();
    });
    return this.rotating;
  }

  /** Resolves once every rotation so far has been fully carried out (deletions, compression). */
  settled(): Promise<void> {
    return (this.rotating ?? Promise.resolve()).then(() => this.jobs);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    this.timer = null;
    await this.settled();
  }

  private async rotateNow(reason: 'size' | 'interval', requested: number): Promise<void> {
    const writers = [...this.writers].filter((w) => w.regular);
    await Promise.all(writers.map((w) => w.hold()));
    const moved: { path: string; rotated_to: string }[] = [];
    let at = 0;
    try {
      let t = nextStamp(requested, this.lastStamp);
      // A name already taken (a rotation of a previous daemon in the same millisecond): move on by 1 ms.
      while (writers.some((w) => w.size > 0 && existsSync(rotatedName(w.path, stampOf(t))))) t++;
      this.lastStamp = t;
      at = t;
      const stamp = stampOf(t);
      for (const w of writers) {
        if (!w.regular || w.size === 0) continue;
        const to = rotatedName(w.path, stamp);
        try {
          if (w.rotateTo(to)) moved.push({ path: w.path, rotated_to: to });
        } catch (err) {
          this.hooks.log(`${this.name}: cannot rotate ${w.path}: ${String(err)}`);
        }
      }
    } finally {
      for (const w of writers) w.release();
    }
    if (moved.length === 0) {
      if (reason === 'size' && !this.stuck && writers.some((w) => w.size > 0)) {
        this.stuck = true;
        this.hooks.log(`${this.name}: log rotation failed; writing on past max_size until a rotation works`);
      }
      return;
    }
    this.stuck = false;
    this.hooks.log(
      `${this.name}: rotated (${reason}) ${moved.map((m) => `${basename(m.path)} -> ${basename(m.rotated_to)}`).join(', ')}`,
    );
    // Every file the group has had: a generation of a writer that has closed since is still the app's.
    const paths = [...this.paths];
    const rotation: Rotation = { name: this.name, reason, at, files: moved, deleted: [] };
    // Deletions right away (one at a time), so the disk bound holds even while compressions lag behind;
    // compressions one at a time after them, off the event loop (zlib runs on the thread pool).
    this.retention = this.retention.then(async () => {
      try {
        rotation.deleted = await this.applyRetention(paths);
      } catch (err) {
        this.hooks.log(`${this.name}: log retention failed: ${String(err)}`);
      }
    });
    const retained = this.retention;
    this.jobs = Promise.all([this.jobs, retained]).then(() => this.compress(rotation));
  }

  private async compress(rotation: Rotation): Promise<void> {
    if (this.settings.compress) {
      for (const f of rotation.files) {
        if (rotation.deleted.includes(f.rotated_to) || !existsSync(f.rotated_to)) continue;
        try {
          f.rotated_to = await gzipFile(f.rotated_to);
        } catch (err) {
          this.hooks.log(`${this.name}: cannot compress ${f.rotated_to}: ${String(err)}`);
        }
      }
    }
    this.hooks.rotated(rotation);
  }

  private async applyRetention(paths: readonly string[]): Promise<string[]> {
    const files: RotatedFile[] = [];
    const byDir = new Map<string, string[]>();
    for (const p of paths) byDir.set(dirname(p), [...(byDir.get(dirname(p)) ?? []), p]);
    for (const [dir, lives] of byDir) {
      const names = await readdir(dir);
      for (const live of lives) {
        const match = rotatedMatcher(live);
        for (const name of names) {
          const m = match(name);
          if (!m) continue;
          files.push({ path: join(dir, name), live, ...m });
        }
      }
    }
    const doomed = planRetention(files, this.settings.retain);
    for (const f of doomed) await unlink(f.path).catch(() => {});
    return doomed.map((f) => f.path);
  }

  /** Interval rotation: the next due time, recomputed after each firing (clock changes, DST). */
  private arm(): void {
    const interval = this.settings.rotate_interval;
    if (interval === null || this.closed) return;
    const now = this.hooks.clock.now();
    const next = nextIntervalAt(interval, now);
    if (next === null) return;
    this.timer = this.hooks.clock.setTimer(next - now, () => {
      this.timer = null;
      if (this.closed) return;
      if (this.hasContent()) void this.rotate('interval');
      this.arm();
    });
  }
}
