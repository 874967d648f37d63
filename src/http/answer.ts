// Helpers of the protocol-backed routes: run the method, answer its result as JSON with env values
// redacted (unless an admin asked with ?reveal_env=1), read the path's target list.
import { TendError } from '../protocol/errors.js';
import type { MethodName } from '../protocol/methods/index.js';
import { redactEnv } from './redact.js';
import { sendJson } from './reply.js';
import type { RouteRequest } from './types.js';

/** `?reveal_env=1`: only with the admin token (a read token asking is refused, not silently redacted). */
export function revealEnv(r: RouteRequest): boolean {
  const asked = r.query.get('reveal_env');
  if (asked === null || asked === '0' || asked === 'false') return false;
  if (r.auth?.scope !== 'admin')
    throw new TendError('TEND_ERR_FORBIDDEN', { detail: 'reveal_env needs the admin token' });
  return true;
}

export async function answer(
  r: RouteRequest,
  method: MethodName,
  params: unknown,
  shape?: (v: unknown) => unknown,
): Promise<void> {
  const reveal = revealEnv(r);
  let result = await r.api.call(method, params);
  if (shape) result = shape(result);
  sendJson(r.res, 200, reveal ? result : redactEnv(result));
}

/** `api,worker` or `3` → the target tokens of the protocol. */
export function targetOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/** The body's fields with the path's parameters on top (a body that is not an object fails validation). */
export function withBody(body: unknown, fields: Record<string, unknown>): unknown {
  if (body === undefined || body === null) return fields;
  if (typeof body !== 'object' || Array.isArray(body)) return body;
  return { ...(body as Record<string, unknown>), ...fields };
}
