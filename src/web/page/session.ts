// Signing in: a `#login=<token>` fragment (from `tend web`; the browser never sends a fragment to the server)
// is exchanged once for the session cookie and removed from the address bar and history; without one, an
// existing session is used, else a form asks for a token (admin or read-only).
import { ApiError, api, setCsrf } from './api.js';
import { byId, setText } from './dom.js';
import type { Session } from './types.js';

async function exchange(token: string): Promise<Session> {
  const s = await api<Session>('POST', '/api/v1/session', { token });
  setCsrf(s.csrf);
  return s;
}

/** Resolves once there is a session (the form stays up until a token works). */
export async function signIn(): Promise<Session> {
  const m = /(?:^#|&)login=([^&]+)/.exec(location.hash);
  if (m) {
    // Gone from the address bar (and from history) before anything else happens.
    history.replaceState(null, '', location.pathname + location.search);
    try {
      return await exchange(decodeURIComponent(m[1]!));
    } catch (err) {
      return form(
        `The login link did not work: ${String(err)}. Links from \`tend web\` work once; run it again, or paste a token.`,
      );
    }
  }
  try {
    const s = await api<Session>('GET', '/api/v1/session');
    setCsrf(s.csrf);
    return s;
  } catch (err) {
    return form(err instanceof ApiError && err.status === 401 ? '' : String(err));
  }
}

/** Shows the token form until a token is accepted. */
export function form(message: string): Promise<Session> {
  const section = byId('login');
  const f = byId<HTMLFormElement>('login-form');
  const input = byId<HTMLInputElement>('login-token');
  const error = byId('login-error');
  byId('app').hidden = true;
  section.hidden = false;
  setText(error, message);
  input.focus();
  return new Promise((resolve) => {
    const submit = async (e: Event) => {
      e.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      try {
        const s = await exchange(token);
        f.removeEventListener('submit', submit);
        input.value = '';
        section.hidden = true;
        byId('app').hidden = false;
        resolve(s);
      } catch (err) {
        setText(error, `Not signed in: ${String(err)}`);
        input.select();
      }
    };
    f.addEventListener('submit', submit);
  });
}

export async function signOut(): Promise<void> {
  await api('DELETE', '/api/v1/session').catch(() => {});
  location.reload();
}
