// `watch`: restart an app when files under its watch paths change. One chokidar watcher per app, loaded on
// first use (a daemon whose apps do not watch never loads it), ignored paths filtered out while the tree is
// scanned, and a trailing-edge debounce (`watch_delay`) so a burst of changes restarts once.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AppSpec } from '../config/spec.js';
import type { Clock, FsWatcher, OpenWatcher } from '../supervisor/ports.js';
import { Debounce } from './debounce.js';
import { ignoreMatcher } from './ignore.js';

export type { FsWatcher, OpenWatcher } from '../supervisor/ports.js';

export const openChokidar: OpenWatcher = (paths, options) => {
  // Loaded on first use, with require: chokidar and picomatch stay out of the daemon bundle (scripts/build.mjs
  // marks them external) and out of its memory unless an app is watched; import() would also load Node's ES
  // module loader into the CommonJS daemon (~3 MiB).
  const { watch } = createRequire(import.meta.url)('chokidar') as typeof import('chokidar');
  return watch([...paths], options) as unknown as FsWatcher;
};

export interface WatchDeps {
  clock: Clock;
  open: OpenWatcher;
  home: string;
  log(line: string): void;
  /** The watcher has scanned its paths (true) or is closed (false). */
  onStatus(watching: boolean): void;
  /** A burst of changes ended `watch_delay` ago; `file` (relative to cwd) changed first. */
  onChange(file: string, count: number): void;
}

export class WatchTrigger {
  private watcher: FsWatcher | null = null;
  private closed = false;
  private ready = false;
  private readonly debounce: Debounce<string>;
  private readonly ignored: (file: string) => boolean;

  constructor(
    private readonly spec: AppSpec,
    private readonly deps: WatchDeps,
  ) {
    this.ignored = ignoreMatcher({ ...spec, home: deps.home });
    this.debounce = new Debounce(deps.clock, spec.watch_delay, (file, count) =>
      deps.onChange(path.relative(spec.cwd, file) || file, count),
    );
  }

  get paths(): readonly string[] {
    return this.spec.watch || [];
  }

  start(): void {
    if (this.closed) return;
    const { spec, deps } = this;
    const options = {
      ...spec.watch_options,
      ignoreInitial: true,
      persistent: true,
      ignored: (file: string) => this.ignored(file),
    };
    let watcher: FsWatcher;
    try {
      watcher = deps.open(this.paths, options);
    } catch (err) {
      deps.log(`${spec.name} cannot watch ${this.paths.join(', ')}: ${String(err)}`);
      return;
    }
    this.watcher = watcher;
    watcher.on('all', (_event, file) => {
      if (!this.closed && !this.ignored(file)) this.debounce.hit(file);
    });
    watcher.on('error', (err) => deps.log(`${spec.name} watch error: ${String(err)}`));
    watcher.on('ready', () => {
      if (this.closed) return;
      this.ready = true;
      deps.log(`${spec.name} watching ${this.paths.join(', ')} (delay ${spec.watch_delay} ms)`);
      deps.onStatus(true);
    });
  }

  /** Stops watching: the pending burst is dropped, the watcher's inotify watches are removed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.debounce.cancel();
    const watcher = this.watcher;
    this.watcher = null;
    if (watcher) await watcher.close();
    if (this.ready) {
      this.deps.log(`${this.spec.name} stopped watching`);
      this.deps.onStatus(false);
    }
  }
}
