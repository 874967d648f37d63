// Calls to the HTTP API with the session cookie: every POST/DELETE carries the X-Tend-CSRF header the
// session gave; an error answer becomes an ApiError with its TEND_ERR_* code, shown as is to the user.

let csrf = '';

export function setCsrf(token: string): void {
  csrf = token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  /** `no process matches "api" (TEND_ERR_TARGET_NOT_FOUND)`: the CLI's wording. */
  override toString(): string {
    return `${this.message} (${this.code})`;
  }
}

export async function api<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrf) headers['x-tend-csrf'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (err) {
    throw new ApiError(0, 'TEND_ERR_DAEMON_UNREACHABLE', `the daemon did not answer (${String(err)})`);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      res.status,
      e?.code ?? `HTTP_${res.status}`,
      e?.message ?? (text.slice(0, 200) || res.statusText),
    );
  }
  return json as T;
}

/** A target in a URL path: a name, an id, or a comma-separated list. */
export const target = (t: string | number): string => encodeURIComponent(String(t));
