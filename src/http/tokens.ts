// The API's bearer tokens: $TEND_HOME/http.token (admin) and http.read-token (read), 32 random bytes in
// base64url, created on first use (O_EXCL: never over a file someone put there; O_NOFOLLOW: never through a
// link), 0600, checked like the home's other files before they are trusted. Compared in constant time.
// Rotating one: delete the file and run `tend web` (or restart the daemon); sessions made with the old
// token end with it.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TendError } from '../protocol/errors.js';
import { currentUid, userName } from '../runtime/private-dir.js';

export type Scope = 'read' | 'admin';

export const TOKEN_FILES: Readonly<Record<Scope, string>> = { admin: 'http.token', read: 'http.read-token' };

/** 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A fixed-size digest: map keys and constant-time comparisons never see the secret itself. */
export function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export interface TokenPair {
  /** The scope of a presented bearer token, or null (compared in constant time with both). */
  scopeOf(token: string): Scope | null;
  /** A change from the previous pair (the files were replaced): sessions must end. */
  sameAs(other: TokenPair | null): boolean;
  readonly digests: Readonly<Record<Scope, Buffer>>;
}

export function loadTokens(home: string): TokenPair {
  const digests = {
    admin: digest(ensureToken(join(home, TOKEN_FILES.admin))),
    read: digest(ensureToken(join(home, TOKEN_FILES.read))),
  };
  return {
    digests,
    scopeOf(token) {
      const d = digest(token);
      // Both comparisons always run: the time taken does not say which one matched.
      const admin = timingSafeEqual(d, digests.admin);
      const read = timingSafeEqual(d, digests.read);
      return admin ? 'admin' : read ? 'read' : null;
    },
    sameAs(other) {
      if (other === null) return false;
      return other.digests.admin.equals(digests.admin) && other.digests.read.equals(digests.read);
    },
  };
}

/** The token in `file`, created (0600, exclusively) when missing. */
function ensureToken(file: string): string {
  try {
    const fd = openSync(
      file,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
    const token = newToken();
    try {
      writeSync(fd, `${token}\n`);
    } finally {
      closeSync(fd);
    }
    return token;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      throw unsafe(
        file,
        `cannot be created (${(err as NodeJS.ErrnoException).code})`,
        'check the permissions of TEND_HOME',
      );
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw unsafe(
      file,
      code === 'ELOOP' ? 'is a symbolic link' : `cannot be read (${code})`,
      `remove it: tend creates a new one`,
    );
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw unsafe(file, 'is not a regular file', 'remove it: tend creates a new one');
    const uid = currentUid();
    if (uid !== null && st.uid !== uid)
      throw unsafe(file, `is owned by ${userName(st.uid)}, not by you`, 'remove it: tend creates a new one');
    if (st.mode & 0o077)
      throw unsafe(
        file,
        `can be read or written by other users (mode ${(st.mode & 0o777).toString(8)})`,
        `run "chmod 600 ${file}", or remove it for a new token`,
      );
    const token = readFileSync(fd, 'utf8').trim();
    if (!/^[A-Za-z0-9_-]{32,512}$/.test(token))
      throw unsafe(
        file,
        'does not hold a token (32 to 512 characters of A-Z a-z 0-9 _ -)',
        'remove it: tend creates a new one',
      );
    return token;
  } finally {
    closeSync(fd);
  }
}

function unsafe(path: string, problem: string, fix: string): TendError {
  return new TendError('TEND_ERR_HOME_UNSAFE', { what: 'the API token file', path, problem, fix });
}
