// A program in a real pseudo-terminal: a tmux session on a private server (its own socket, killed at the
// end; no other tmux is touched). The pane's output is piped to a file, and waiting re-reads the screen
// each time that file changes: the test waits on what the terminal shows, with a timeout as safety net.
import { execFileSync, spawnSync } from 'node:child_process';
import { type FSWatcher, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let sessions = 0;

export function tmuxMissing(): string | false {
  const r = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  return r.error ? 'tmux is not installed (.ci/run installs it from Debian packages)' : false;
}

export class TmuxSession {
  private constructor(
    private readonly socket: string,
    private readonly output: string,
  ) {}

  /** Starts `command` (a shell command line) in a detached session of `cols` × `rows`. */
  static start(command: string, opts: { dir: string; cols: number; rows: number }): TmuxSession {
    // A new server per session: a socket path reused right after kill-server can hit the dying server.
    const n = ++sessions;
    const socket = join(opts.dir, `tmux-${n}.sock`);
    const output = join(opts.dir, `pane-${n}.out`);
    writeFileSync(output, '');
    const s = new TmuxSession(socket, output);
    // Created with a shell that waits, so the pipe is in place before the program writes anything.
    s.tmux('new-session', '-d', '-x', String(opts.cols), '-y', String(opts.rows), 'cat');
    s.tmux('pipe-pane', '-o', `cat >> '${output}'`);
    s.tmux('respawn-pane', '-k', command);
    return s;
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], {
      encoding: 'utf8',
      env: { ...process.env, TERM: process.env.TERM || 'xterm-256color' },
    });
  }

  /** The visible screen; with `escapes`, with its attributes (inverse video is ESC[7m). */
  screen(escapes = false): string {
    return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []));
  }

  /** A tmux format about the pane, e.g. '#{alternate_on}' or '#{cursor_flag}'. */
  display(format: string): string {
    return this.tmux('display-message', '-p', format).trim();
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-x', String(cols), '-y', String(rows));
  }

  /** Resolves with the screen once `predicate` holds for it; re-checked whenever the pane writes. */
  until(
    predicate: (screen: string) => boolean,
    opts: { what: string; timeoutMs?: number; escapes?: boolean },
  ): Promise<string> {
    const { what, timeoutMs = 10_000, escapes = false } = opts;
    return new Promise((resolve, reject) => {
      let watcher: FSWatcher | null = null;
      let last = '';
      const done = (err: Error | null, screen = '') => {
        clearTimeout(timer);
        watcher?.close();
        if (err) reject(err);
        else resolve(screen);
      };
      const check = () => {
        try {
          last = this.screen(escapes);
        } catch (err) {
          done(err as Error);
          return;
        }
        if (predicate(last)) done(null, last);
      };
      const timer = setTimeout(
        () => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${last}`)),
        timeoutMs,
      );
      watcher = watch(this.output, check);
      check();
    });
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
