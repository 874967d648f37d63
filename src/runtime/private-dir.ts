// A directory that belongs to the user alone: $TEND_HOME and its logs/. Everything tend trusts lives in
// them (the socket it sends the caller's environment to, the state file it restores apps from, the files
// it appends output to), so before using one we check it is a real directory (not a symbolic link another
// user planted), owned by us, and that nobody else can write it. One helper for every such directory: the
// home at each command, logs/ at the daemon's start, and both again when tend recreates a deleted logs/.
import {
  accessSync,
  chmodSync,
  constants,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  type Stats,
  statSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TendError } from '../protocol/errors.js';
import { type HomePaths, longestSocketPath, MAX_SOCKET_PATH } from '../protocol/home.js';

export interface PrivateDirOptions {
  /** What the directory is, for messages: 'TEND_HOME', 'the logs directory'. */
  what: string;
  /** Create it (0700) when missing (default true). */
  create?: boolean;
  /**
   * The home itself may be a symbolic link the user made (~/.tend → /data/tend): then the link and its
   * target must both be ours. Directories inside the home must be real directories.
   */
  allowSymlink?: boolean;
  /**
   * Our own directory whose mode lets group or others write (say 0775 from a umask of 002): fix it (chmod
   * 0700) instead of refusing. For logs/, whose files tend opens without following links; not for the
   * home, where a writable-by-others directory may already hold a state file someone else planted.
   */
  fixWritable?: boolean;
}

/**
 * The home and its logs/ as tend needs them: checked (and created, with `create`) before anything in them is
 * used. A home whose sockets could not be bound is refused first, before anything is created: binding a
 * too-long path would fail (or, on older kernels' libuv, be cut short and leave a stray socket elsewhere).
 * Returns false when the home does not exist and create is false (no daemon can be running there). The
 * CLI only checks logs/ (the daemon creates it, and recreates it when deleted, saying so).
 */
export function ensureHome(paths: HomePaths, opts: { create: boolean; createLogs: boolean }): boolean {
  const longest = longestSocketPath(paths.home);
  const bytes = Buffer.byteLength(longest);
  if (bytes > MAX_SOCKET_PATH) {
    throw new TendError('TEND_ERR_HOME_PATH_TOO_LONG', {
      home: paths.home,
      socket: longest,
      bytes,
      limit: MAX_SOCKET_PATH,
    });
  }
  if (!ensurePrivateDir(paths.home, { what: 'TEND_HOME', create: opts.create, allowSymlink: true }))
    return false;
  ensurePrivateDir(paths.logDir, { what: 'the logs directory', create: opts.createLogs, fixWritable: true });
  return true;
}

/**
 * Open flags for tend's own files in its home (daemon.log, state.json, dump.json, daemon.pid, the default
 * log files): a symbolic link in their place is an error (ELOOP), never followed. Files the user named
 * outside the home (`out_file: /var/log/x.log`) are opened normally, links included: the user made them.
 */
export const APPEND_NOFOLLOW =
  constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
export const REPLACE_NOFOLLOW =
  constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

/** The effective uid, or null where there is none (Windows). */
export function currentUid(): number | null {
  return typeof process.geteuid === 'function' ? process.geteuid() : null;
}

/**
 * Makes sure `dir` is private to the user: creates it 0700 if missing, refuses a symbolic link, another
 * user's directory or one others can write (with the fix in the message), and tightens read/search bits
 * for group and others on our own (0755 → 0700). Returns false when it is missing and create is false.
 */
export function ensurePrivateDir(dir: string, opts: PrivateDirOptions): boolean {
  let st = lstatChecked(dir, opts.what);
  if (st === null) {
    if (opts.create === false) return false;
    makeDirs(dir, opts.what);
    st = lstatOrNull(dir);
    if (st === null) throw unwritable(dir, opts.what, { code: 'ENOENT' } as NodeJS.ErrnoException);
  }
  if (st.isSymbolicLink()) {
    if (!opts.allowSymlink)
      throw unsafe(dir, opts.what, `is a symbolic link${ownerText(st)}`, fixRemove(dir));
    checkOwner(dir, opts.what, st, 'the symbolic link');
    const target = statTarget(dir, opts.what);
    // A link to nothing (a volume not mounted yet, a target deleted): no daemon can be running there, and
    // tend does not create the target through the link (an empty directory in the container's own layer
    // would hide the missing volume).
    if (target === null) {
      if (opts.create === false) return false;
      throw danglingLink(dir, dir, opts.what);
    }
    st = target;
  }
  if (!st.isDirectory()) throw unsafe(dir, opts.what, 'is not a directory', fixRemove(dir));
  checkOwner(dir, opts.what, st, '');
  try {
    // As root this always passes; for a user, a home of theirs they made read-only is caught here.
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw unwritable(dir, opts.what, err as NodeJS.ErrnoException);
  }
  if ((st.mode & 0o077) === 0) return true;
  if (st.mode & 0o022 && !opts.fixWritable) {
    throw unsafe(
      dir,
      opts.what,
      `can be written by ${st.mode & 0o002 ? 'every user' : 'its group'} (mode ${octal(st.mode)})`,
      `check that nothing in it was put there by someone else, then run "chmod 700 ${dir}"`,
    );
  }
  try {
    chmodSync(dir, 0o700);
  } catch (err) {
    throw unwritable(dir, opts.what, err as NodeJS.ErrnoException);
  }
  return true;
}

/**
 * mkdir -p, one directory at a time, each 0700 (as `mkdir -p -m 700` would not do for the parents). Not
 * mkdirSync's recursive mode: on Node 20 it loops for ever, at 100 % CPU and deaf to signals, when mkdir
 * answers ENOENT under a parent that exists (TEND_HOME=/proc/x, seventh audit). Here every step is one
 * mkdir of a directory whose parent was just found or made, so an ENOENT there is an answer, not a retry.
 */
function makeDirs(dir: string, what: string): void {
  const missing: string[] = [];
  try {
    for (let at = dir; lstatOrNull(at) === null; at = dirname(at)) {
      missing.push(at);
      if (dirname(at) === at) break;
    }
  } catch (err) {
    throw unwritable(dir, what, err as NodeJS.ErrnoException);
  }
  for (const at of missing.reverse()) {
    try {
      mkdirSync(at, { mode: 0o700 });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // Made meanwhile by another tend starting at the same moment: fine, checked below like any other.
      if (e.code === 'EEXIST') continue;
      if (e.code === 'ENOENT') {
        const parent = dirname(at);
        // A parent that is a link to nothing (TEND_HOME=/data/tend/home with /data/tend dangling).
        throw statTarget(parent, what) === null
          ? danglingLink(dir, parent, what)
          : cannotHoldDirs(dir, what, parent);
      }
      throw unwritable(dir, what, e);
    }
  }
}

/** The link's target, or null when it points to nothing; any other failure is the home's problem, coded. */
function statTarget(link: string, what: string): Stats | null {
  try {
    return statSync(link);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return null;
    if (e.code === 'ELOOP')
      throw unsafe(link, what, 'is a symbolic link in a loop of links', fixRemove(link));
    throw unwritable(link, what, e);
  }
}

/** `dir` cannot be used because `link` (the home itself or a parent) is a symbolic link to nothing. */
function danglingLink(dir: string, link: string, what: string): TendError {
  let target = '?';
  try {
    target = resolve(dirname(link), readlinkSync(link));
  } catch {
    // removed meanwhile: the message still names the link
  }
  return new TendError('TEND_ERR_HOME_UNWRITABLE', {
    path: dir,
    what,
    reason: `${link === dir ? 'it' : link} is a symbolic link to ${target}, which does not exist (ENOENT)`,
    fix: `create ${target} or mount the volume it is on, or set TEND_HOME to another directory`,
  });
}

/** mkdir gave ENOENT under a parent that exists: a file system that holds no directories of ours (/proc, /sys). */
function cannotHoldDirs(dir: string, what: string, parent: string): TendError {
  return new TendError('TEND_ERR_HOME_UNWRITABLE', {
    path: dir,
    what,
    reason: `${parent} does not take new directories (mkdir gave ENOENT: a virtual file system such as /proc or /sys?)`,
    fix:
      what === 'TEND_HOME'
        ? 'set TEND_HOME to a directory on a real file system that you can write, or unset it for ~/.tend'
        : `make ${dirname(dir)} a directory you can write`,
  });
}

function checkOwner(dir: string, what: string, st: Stats, part: string): void {
  const uid = currentUid();
  if (uid === null || st.uid === uid) return;
  throw unsafe(
    dir,
    what,
    `${part ? `${part} ` : ''}is owned by ${userName(st.uid)}, not by you (${userName(uid)})`,
    `use a TEND_HOME of your own (unset TEND_HOME for ~/.tend), or have ${dir} removed`,
  );
}

function unsafe(path: string, what: string, problem: string, fix: string): TendError {
  return new TendError('TEND_ERR_HOME_UNSAFE', { path, what, problem, fix });
}

function unwritable(dir: string, what: string, err: NodeJS.ErrnoException): TendError {
  const code = err.code ?? 'EIO';
  const where = code === 'ENOENT' ? dir : nearestExisting(dir);
  return new TendError('TEND_ERR_HOME_UNWRITABLE', {
    path: dir,
    what,
    reason: `${problemOf(code, where)} (${code})`,
    fix:
      what === 'TEND_HOME'
        ? 'set TEND_HOME to a directory you can write, or unset it for ~/.tend'
        : `make ${dirname(dir)} writable by you`,
  });
}

function problemOf(code: string, where: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${where}`;
    case 'ENOTDIR':
      return `${where} is not a directory`;
    case 'EROFS':
      return `${where} is on a read-only file system`;
    default:
      return where;
  }
}

function fixRemove(path: string): string {
  return `remove ${path} (tend creates it again, private to you) or use another TEND_HOME`;
}

function nearestExisting(dir: string): string {
  let at = dirname(dir);
  while (lstatOrNull(at) === null && dirname(at) !== at) at = dirname(at);
  return at;
}

/** lstat, with a parent we may not search reported as the home's problem, not as an internal error. */
function lstatChecked(path: string, what: string): Stats | null {
  try {
    return lstatOrNull(path);
  } catch (err) {
    throw unwritable(path, what, err as NodeJS.ErrnoException);
  }
}

/**
 * A socket tend is about to talk to (daemon.sock, start.lock) inside a private directory: it must be a
 * socket, not a link, owned by us and 0600. Node has no SO_PEERCRED, so the file is the peer's credential:
 * only our own processes can create entries in our 0700 home, and this check covers the rest (root's
 * files, a home made private after the fact). Returns false when nothing listens there: it does not
 * exist, or is our own file of another kind.
 */
export function checkPrivateSocket(path: string, what: string): boolean {
  const st = lstatChecked(path, what);
  if (st === null) return false;
  if (st.isSymbolicLink()) throw unsafe(path, what, `is a symbolic link${ownerText(st)}`, fixRemove(path));
  checkOwner(path, what, st, '');
  // Our own leftover that is not a socket (a crash, a test): nobody listens there; the daemon replaces it.
  if (!st.isSocket()) return false;
  if (st.mode & 0o077) {
    throw unsafe(path, what, `can be used by other users (mode ${octal(st.mode)})`, fixRemove(path));
  }
  return true;
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function ownerText(st: Stats): string {
  const uid = currentUid();
  return uid !== null && st.uid !== uid ? ` owned by ${userName(st.uid)}` : '';
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0');
}

/** "uid 65534 (nobody)": /etc/passwd is read only on this error path, so nothing costs more otherwise. */
export function userName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (Number(id) === uid && name) return `uid ${uid} (${name})`;
    }
  } catch {
    // no passwd file (a scratch container): the number alone
  }
  return `uid ${uid}`;
}
