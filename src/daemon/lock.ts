// The start lock: at most one daemon per TEND_HOME. It is a Unix socket file, `$TEND_HOME/start.lock`, held
// (listened on) by the daemon for its whole life. Inside the 0700 home no other user can create, replace or
// connect to it, so nobody can squat it (the abstract socket name it replaces could be bound by any local
// user, locking the owner out).
//
// A socket file outlives its holder as a name, so the lock must tell a live holder from a dead one without
// guessing: the name is only ever created by link() to a socket that already listens (bound first at
// `start.lock.<pid>`), so the lock path never names a socket that is bound but not yet listening. A lock
// that refuses connections (ECONNREFUSED) therefore belongs to a holder that died, for good: no process can
// revive that socket. Removing it is the one step that needs care (unlink is not compare-and-delete): an
// O_EXCL claim file serialises it, and the claimer checks again after claiming that the lock is still the
// same dead socket. A claimer that dies mid-claim leaves its pid and start time: the next one sees it dead.
//
// The lock doubles as the readiness channel: a connecting client is told `holder <pid>` at once and `ready`
// once the daemon serves its socket.
import { linkSync, lstatSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { checkPrivateSocket } from '../runtime/private-dir.js';
import { readProcStat } from '../runtime/proc-stat.js';

export class StartLock {
  private ready = false;
  private readonly waiting = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    private readonly file: string,
    private readonly ino: number,
  ) {
    server.on('connection', (s) => {
      s.on('error', () => {});
      s.write(`holder ${process.pid}\n`);
      if (this.ready) s.end('ready\n');
      else {
        this.waiting.add(s);
        s.on('close', () => this.waiting.delete(s));
      }
    });
  }

  /** Resolves with the lock, or null when another live daemon holds it (or is taking it over). */
  static async acquire(file: string): Promise<StartLock | null> {
    const own = `${file}.${process.pid}`;
    // A leftover of a dead process that had our pid: ours (the home is private), and in the way.
    unlinkQuietly(own);
    const server = createServer();
    await listenPrivately(server, own);
    let lock: StartLock | null = null;
    try {
      // Bounded: each round either takes the lock, finds a live holder, or removes a dead one.
      for (let round = 0; round < 5 && lock === null; round++) {
        try {
          linkSync(own, file);
          lock = new StartLock(server, file, lstatSync(file).ino);
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        const found = await probe(file);
        if (found.state === 'live') break;
        if (found.state === 'dead' && !(await removeDead(file, found.ino))) break;
      }
    } finally {
      // The lock path keeps the socket's inode; the temporary name has done its job.
      unlinkQuietly(own);
      if (lock === null) server.close();
    }
    return lock;
  }

  /** Tells every waiting client (and every later one) that the daemon serves. */
  markReady(): void {
    this.ready = true;
    for (const s of this.waiting) s.end('ready\n');
    this.waiting.clear();
  }

  close(): Promise<void> {
    // Unlink first (only our own inode: nobody else removes a live lock), so a starter that comes now finds
    // no lock rather than a refusing one.
    try {
      if (lstatSync(this.file).ino === this.ino) unlinkSync(this.file);
    } catch {
      // gone already
    }
    for (const s of this.waiting) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

type Probe = { state: 'live' } | { state: 'absent' } | { state: 'dead'; ino: number };

/** Whether the lock at `file` has a live holder. Throws TEND_ERR_HOME_UNSAFE for a foreign or linked file. */
async function probe(file: string): Promise<Probe> {
  const socket = checkPrivateSocket(file, 'the start lock');
  let ino: number;
  try {
    ino = lstatSync(file).ino;
  } catch {
    return { state: 'absent' };
  }
  // Our own file of another kind in its place: nobody listens there, as with a dead holder.
  if (!socket) return { state: 'dead', ino };
  return new Promise((resolve) => {
    const s = connect(file);
    s.once('connect', () => {
      s.destroy();
      resolve({ state: 'live' });
    });
    s.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') resolve({ state: 'absent' });
      else if (err.code === 'ECONNREFUSED') resolve({ state: 'dead', ino });
      // EAGAIN (a full backlog) and the like: somebody listens.
      else resolve({ state: 'live' });
    });
  });
}

/**
 * Removes the dead lock `ino`, serialised by the claim file. False when another process is doing it (the
 * caller reports busy; its client looks again).
 */
async function removeDead(file: string, ino: number): Promise<boolean> {
  const claim = `${file}.claim`;
  // Written whole under a private name, then linked: a claim is never seen empty, even if we die here.
  const mine = `${claim}.${process.pid}`;
  writeFileSync(mine, identity(process.pid), { mode: 0o600, flag: 'w' });
  try {
    linkSync(mine, claim);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return removeDeadClaim(claim);
  } finally {
    unlinkQuietly(mine);
  }
  try {
    // Still the same dead socket? A live holder may have come and gone since the probe.
    const again = await probe(file);
    if (again.state === 'dead' && again.ino === ino) unlinkSync(file);
    return true;
  } finally {
    unlinkQuietly(claim);
  }
}

/** A claim whose writer is alive: false. One whose writer died mid-claim: moved away, true. */
function removeDeadClaim(claim: string): boolean {
  let text: string;
  try {
    text = readFileSync(claim, 'utf8');
  } catch {
    return true; // released meanwhile: try again
  }
  const [pid, starttime] = text.split(' ');
  if (identity(Number(pid)) === `${pid} ${starttime}`) return false;
  // Compare-and-delete: move it aside, and put it back if it is not the dead claim we judged.
  const aside = `${claim}.${process.pid}.aside`;
  try {
    renameSync(claim, aside);
  } catch {
    return true;
  }
  if (readFileSync(aside, 'utf8') !== text) {
    try {
      linkSync(aside, claim);
    } catch {
      // another claim took its place: the live claimer still finishes its removal
    }
    unlinkQuietly(aside);
    return false;
  }
  unlinkQuietly(aside);
  return true;
}

/** "<pid> <start time>": a pid alone could be recycled by another process. */
function identity(pid: number): string {
  const stat = Number.isInteger(pid) && pid > 0 ? readProcStat(pid) : undefined;
  return `${pid} ${stat?.starttime ?? 'gone'}`;
}

function listenPrivately(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // 0600 from the first instant: the home is private already, this is the second wall.
    const old = process.umask(0o177);
    server.once('error', (err) => {
      process.umask(old);
      reject(err);
    });
    server.listen(path, () => {
      process.umask(old);
      resolve();
    });
  });
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
