// Browser sessions: a one-time login token (from `tend web`, short-lived, single use) or a bearer token is
// exchanged for a session cookie; each session has its own CSRF value, which cookie-authenticated POST and
// DELETE requests must echo in X-Tend-CSRF. Kept in memory, bounded: they end with the daemon, a token
// change, logout or age. Maps are keyed by a digest, so a lookup's timing never depends on the secret.
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../supervisor/ports.js';
import { digest, newToken, type Scope } from './tokens.js';

export const LOGIN_TOKEN_TTL_MS = 10 * 60_000;
export const SESSION_TTL_MS = 12 * 3600_000;
const MAX_LOGIN_TOKENS = 32;
const MAX_SESSIONS = 64;

export interface Session {
  readonly scope: Scope;
  readonly csrf: string;
  readonly expires: number;
}

export class Sessions {
  readonly #logins = new Map<string, number>();
  readonly #sessions = new Map<string, Session>();
  readonly #clock: Pick<Clock, 'now'>;

  constructor(clock: Pick<Clock, 'now'>) {
    this.#clock = clock;
  }

  /** A new one-time login token (admin), valid for LOGIN_TOKEN_TTL_MS. */
  loginToken(): string {
    const token = newToken();
    this.#prune();
    // Bounded: the oldest outstanding token gives way.
    if (this.#logins.size >= MAX_LOGIN_TOKENS)
      this.#logins.delete(this.#logins.keys().next().value as string);
    this.#logins.set(key(token), this.#clock.now() + LOGIN_TOKEN_TTL_MS);
    return token;
  }

  /** Uses up a login token: true once, within its lifetime. */
  redeem(token: string): boolean {
    const k = key(token);
    const expires = this.#logins.get(k);
    this.#logins.delete(k);
    return expires !== undefined && expires > this.#clock.now();
  }

  /** A new session; returns the cookie value and its CSRF value. */
  open(scope: Scope): { id: string; session: Session } {
    this.#prune();
    if (this.#sessions.size >= MAX_SESSIONS)
      this.#sessions.delete(this.#sessions.keys().next().value as string);
    const id = newToken();
    const session: Session = { scope, csrf: newToken(), expires: this.#clock.now() + SESSION_TTL_MS };
    this.#sessions.set(key(id), session);
    return { id, session };
  }

  get(id: string): Session | undefined {
    const s = this.#sessions.get(key(id));
    if (s && s.expires <= this.#clock.now()) {
      this.#sessions.delete(key(id));
      return undefined;
    }
    return s;
  }

  close(id: string): void {
    this.#sessions.delete(key(id));
  }

  /** Every session and login token ends (the tokens changed, the listener closed). */
  clear(): void {
    this.#sessions.clear();
    this.#logins.clear();
  }

  #prune(): void {
    const now = this.#clock.now();
    for (const [k, exp] of this.#logins) if (exp <= now) this.#logins.delete(k);
    for (const [k, s] of this.#sessions) if (s.expires <= now) this.#sessions.delete(k);
  }
}

/** The session's CSRF value, compared in constant time. */
export function csrfMatches(session: Session, presented: string | undefined): boolean {
  if (!presented) return false;
  return timingSafeEqual(digest(presented), digest(session.csrf));
}

function key(secret: string): string {
  return digest(secret).toString('base64url');
}
