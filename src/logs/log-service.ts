// The daemon's log pipeline: the OutputSinks the supervisor opens (one FileSink per instance), the writers
// they share (one per file path), the rotation groups (one per app), the live bus for `tend logs`, and the
// maintenance commands (flush, reopen). Long-lived: the daemon closes it after the supervisor.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AppSpec } from '../config/spec.js';
import { ensurePrivateDir } from '../runtime/private-dir.js';
import type { Clock, OutputSinks, OutputTarget } from '../supervisor/ports.js';
import { FileSink, type LogDrop, type LogSettings, type SinkTarget } from './file-sink.js';
import { LogBus } from './log-bus.js';
import { LogWriter } from './log-writer.js';
import { type Rotation, RotationGroup } from './rotation-group.js';

export interface LogServiceDeps {
  clock: Clock;
  /** The daemon's own log. */
  log(line: string): void;
  /** A rotation finished (published as `log.rotated`). */
  rotated?(rotation: Rotation): void;
  /**
   * tend's own logs directory ($TEND_HOME/logs): files in it are opened without following links, and the
   * directory is created again (checked, 0700) when it was deleted under the daemon.
   */
  logDir?: string;
  /** Lines of an instance never reached its log file (published as `process.log-dropped`). */
  dropped?(drop: LogDrop): void;
  /** How long a closing sink waits for pipes held open by unknown descendants (tests shorten it). */
  closeGraceMs?: number;
}

export class LogService implements OutputSinks {
  readonly bus = new LogBus();
  private readonly writers = new Map<string, LogWriter>();
  private readonly groups = new Map<string, RotationGroup>();
  private readonly sinks = new Map<number, FileSink>();

  constructor(private readonly deps: LogServiceDeps) {}

  open(target: OutputTarget & Partial<SinkTarget>): FileSink {
    const { spec } = target;
    const sink = new FileSink(
      {
        id: target.id,
        name: target.name,
        namespace: spec?.namespace ?? target.namespace,
        out_file: target.out_file,
        err_file: target.err_file,
        log_file: target.log_file ?? null,
        settings: target.settings ?? (spec ? settingsOf(spec) : undefined),
        ...(target.counts ? { counts: target.counts } : {}),
      },
      {
        acquire: (path, app, settings) => this.acquire(path, app, settings),
        release: (writer) => this.release(writer),
        forget: (s) => {
          if (this.sinks.get(s.target.id) === s) this.sinks.delete(s.target.id);
        },
        now: () => this.deps.clock.now(),
        dropped: (drop) => this.deps.dropped?.(drop),
      },
      this.deps.closeGraceMs,
    );
    this.sinks.set(target.id, sink);
    return sink;
  }

  /** The sink of a process id, if it is open. */
  sink(id: number): FileSink | undefined {
    return this.sinks.get(id);
  }

  /** Every writer of the given processes, once each. */
  writersOf(ids: readonly number[]): LogWriter[] {
    const found = new Set<LogWriter>();
    for (const id of ids) for (const w of this.sinks.get(id)?.allWriters() ?? []) found.add(w);
    return [...found];
  }

  /** Empties the files (lines not yet written are dropped too); returns their paths. */
  async flush(writers: readonly LogWriter[]): Promise<string[]> {
    return this.whileHeld(writers, (w) => w.truncate());
  }

  /**
   * Reopens every file (after an external logrotate moved them, or rm -rf of logs/), recreating tend's own
   * logs directory first. Says what it did: the directory recreated, the files reopened, those that failed.
   */
  async reopenAll(): Promise<{
    recreated: string[];
    files: string[];
    failed: { path: string; error: string }[];
  }> {
    const recreated: string[] = [];
    if (this.deps.logDir !== undefined && this.ensureLogDir()) recreated.push(this.deps.logDir);
    const writers = [...this.writers.values()];
    const reopened = await this.whileHeld(writers, (w) => w.reopen());
    const failed = writers
      .filter((w) => w.broken && w.error)
      .map((w) => ({ path: w.path, error: w.error?.message ?? '' }))
      .sort((a, b) => a.path.localeCompare(b.path));
    const bad = new Set(failed.map((f) => f.path));
    return { recreated, files: reopened.filter((p) => !bad.has(p)), failed };
  }

  /** Makes sure logs/ exists and is ours (private-dir.ts); true when it had to be created again. */
  private ensureLogDir(): boolean {
    const dir = this.deps.logDir;
    if (dir === undefined) return false;
    const missing = !existsSync(dir);
    ensurePrivateDir(dir, { what: 'the logs directory', fixWritable: true });
    if (missing) this.deps.log(`recreated the logs directory ${dir} (it had been deleted)`);
    return missing;
  }

  private isOwn(file: string): boolean {
    return this.deps.logDir !== undefined && dirname(file) === this.deps.logDir;
  }

  /** Resolves once every rotation so far is complete (files deleted, compressed). */
  async settled(): Promise<void> {
    await Promise.all([...this.groups.values()].map((g) => g.settled()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.sinks.values()].map((s) => s.close()));
    await Promise.all([...this.writers.values()].map((w) => w.close()));
    await Promise.all([...this.groups.values()].map((g) => g.close()));
  }

  private async whileHeld(writers: readonly LogWriter[], fn: (w: LogWriter) => void): Promise<string[]> {
    const paths: string[] = [];
    await Promise.all(
      writers.map(async (w) => {
        await w.hold();
        try {
          fn(w);
          if (w.path !== '/dev/null') paths.push(w.path);
        } catch (err) {
          this.deps.log(`cannot maintain ${w.path}: ${String(err)}`);
        } finally {
          w.release();
        }
      }),
    );
    return paths.sort();
  }

  private acquire(path: string, app: string, settings: LogSettings): LogWriter {
    const file = path === '/dev/null' ? path : resolve(path);
    let writer = this.writers.get(file);
    if (writer === undefined) {
      const own = this.isOwn(file);
      writer = new LogWriter(
        file,
        {
          bus: this.bus,
          onError: (p, err) => this.deps.log(`cannot write log file ${p}: ${err.code ?? err.message}`),
        },
        own ? { nofollow: true, ensureDir: () => this.ensureLogDir() } : {},
      );
      writer.open();
      this.writers.set(file, writer);
      // A path shared by two apps belongs to the group of the first; rotation needs a single owner.
      this.group(app, settings).add(writer);
    }
    writer.refs++;
    return writer;
  }

  private async release(writer: LogWriter): Promise<void> {
    if (--writer.refs > 0) return;
    if (this.writers.get(writer.path) === writer) this.writers.delete(writer.path);
    const group = [...this.groups.values()].find((g) => g.writers.has(writer));
    // Close while still in the group: what is queued drains within the size limit (rotating if need be).
    await writer.close();
    group?.remove(writer);
    if (group && group.writers.size === 0) {
      if (this.groups.get(group.name) === group) this.groups.delete(group.name);
      await group.close();
    }
  }

  private group(app: string, settings: LogSettings): RotationGroup {
    let group = this.groups.get(app);
    if (group === undefined) {
      group = new RotationGroup(app, settings, {
        clock: this.deps.clock,
        log: this.deps.log,
        rotated: (r) => this.deps.rotated?.(r),
      });
      this.groups.set(app, group);
    }
    return group;
  }
}

/** The log settings of an app's spec. */
export function settingsOf(spec: AppSpec): LogSettings {
  return {
    time: spec.time,
    log_date_format: spec.log_date_format,
    log_type: spec.log_type,
    max_size: spec.max_size,
    retain: spec.retain,
    compress: spec.compress,
    rotate_interval: spec.rotate_interval,
  };
}

/** A LogService on the wall clock, for tools and tests (the daemon passes its own clock). */
export function createFileSinks(deps: Partial<LogServiceDeps> = {}): LogService {
  return new LogService({
    clock: {
      now: () => Date.now(),
      setTimer: (ms, fn) => {
        const handle = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
        return { cancel: () => clearTimeout(handle) };
      },
    },
    log: () => {},
    ...deps,
  });
}
