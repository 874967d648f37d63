// The start lock: at most one daemon per TEND_HOME. It is a Linux abstract-namespace Unix socket, which the
// kernel releases when its holder dies, so a daemon killed with -9 never leaves a stale lock behind (unlike
// a lock file, whose staleness can only be guessed). The lock doubles as the readiness channel: a client
// that finds a daemon starting connects to it and is told "ready" once the daemon serves its socket.
import { createServer, type Server, type Socket } from 'node:net';
import { lockName } from '../protocol/home.js';

export class StartLock {
  private ready = false;
  private readonly waiting = new Set<Socket>();
  private constructor(private readonly server: Server) {
    server.on('connection', (s) => {
      s.on('error', () => {});
      if (this.ready) s.end('ready\n');
      else {
        this.waiting.add(s);
        s.on('close', () => this.waiting.delete(s));
      }
    });
  }

  /** Resolves with the lock, or null when another live daemon holds it. */
  static acquire(home: string): Promise<StartLock | null> {
    const server = createServer();
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE') resolve(null);
        else reject(err);
      });
      server.listen(lockName(home), () => resolve(new StartLock(server)));
    });
  }

  /** Tells every waiting client (and every later one) that the daemon serves. */
  markReady(): void {
    this.ready = true;
    for (const s of this.waiting) s.end('ready\n');
    this.waiting.clear();
  }

  close(): Promise<void> {
    for (const s of this.waiting) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
