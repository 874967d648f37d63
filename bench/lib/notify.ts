// The bench's own Unix socket. Apps under test (bench/apps/*.cjs) connect to $BENCH_NOTIFY and write one line
// such as "ready 1234 app7" or "listening 1234 crash-a" when they reach the point a scenario waits for, so
// the bench waits on what the app says, not on the clock, and the same signal works whoever started the app
// (tend, PM2 or the bench by hand). The same server answers the socket floor's one round trip ("ping").
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { nowMs } from './child.js';

export interface Note {
  kind: string;
  pid: number;
  tag: string;
  /** hrtime (ms) when the bench read the line. */
  at: number;
}

type Waiter = { pred: (n: Note) => boolean; resolve: (n: Note) => void };

export class NotifyServer {
  readonly notes: Note[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly sockets = new Set<Socket>();
  /** The connection each note came on, for go(). */
  private readonly from = new WeakMap<Note, Socket>();

  private constructor(
    readonly path: string,
    private readonly server: Server,
  ) {}

  static async listen(path: string): Promise<NotifyServer> {
    rmSync(path, { force: true });
    const server = createServer();
    const self = new NotifyServer(path, server);
    server.on('connection', (s) => self.accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    return self;
  }

  private accept(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => {});
    let buf = '';
    s.setEncoding('utf8');
    s.on('data', (chunk: string) => {
      buf += chunk;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line === 'ping') {
          s.write('pong\n');
          continue;
        }
        const [kind = '', pid = '0', tag = ''] = line.split(' ');
        const note = { kind, pid: Number(pid), tag, at: nowMs() };
        this.from.set(note, s);
        this.push(note);
      }
    });
  }

  private push(n: Note): void {
    this.notes.push(n);
    for (const w of [...this.waiters]) {
      if (w.pred(n)) {
        this.waiters.delete(w);
        w.resolve(n);
      }
    }
  }

  /**
   * The first note matching pred, counting those already received after `since` (an index into notes taken
   * before the action: the app may answer before the caller gets here). The timeout is a safety net.
   */
  waitFor(
    pred: (n: Note) => boolean,
    opts: { since?: number; timeoutMs?: number; what?: string } = {},
  ): Promise<Note> {
    const seen = this.notes.slice(opts.since ?? 0).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? 30_000;
      const w: Waiter = {
        pred,
        resolve: (n) => {
          clearTimeout(timer);
          resolve(n);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what ?? 'a note from an app'}`));
      }, timeoutMs);
      // A safety net only: it must not keep the bench alive after a failure elsewhere.
      timer.unref();
      this.waiters.add(w);
    });
  }

  /** Resolves once every tag in `tags` has sent a note of `kind` (after index `since`). */
  async waitForAll(
    kind: string,
    tags: readonly string[],
    opts: { since?: number; timeoutMs?: number } = {},
  ): Promise<Map<string, Note>> {
    const want = new Set(tags);
    const got = new Map<string, Note>();
    if (want.size === 0) return got;
    // A stateful predicate: it sees every note once, in order, old ones first.
    await this.waitFor(
      (n) => {
        if (n.kind === kind && want.has(n.tag) && !got.has(n.tag)) got.set(n.tag, n);
        return got.size === want.size;
      },
      { ...opts, what: `"${kind}" from ${want.size} apps (e.g. ${tags[0]})` },
    ).catch((err: Error) => {
      const missing = [...want].filter((t) => !got.has(t));
      throw new Error(`${err.message}; ${missing.length} missing: ${missing.slice(0, 5).join(', ')}`);
    });
    return got;
  }

  /** Answers "go" to apps waiting after their note (apps/notify.cjs notifyAndWait). */
  go(notes: Iterable<Note>): void {
    for (const n of notes) this.from.get(n)?.write('go\n');
  }

  mark(): number {
    return this.notes.length;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }
}
