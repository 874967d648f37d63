// The JSON error answer of a stream request that cannot start (a bad filter, say): the API's error shape,
// `{ error: { code, message, data } }`, with the status the code calls for.
import type { ServerResponse } from 'node:http';
import { TendError } from '../../protocol/errors.js';

export function badRequest(res: ServerResponse, err: unknown): void {
  const e = err instanceof TendError ? err : new TendError('TEND_ERR_INTERNAL', { detail: String(err) });
  const status = e.code === 'TEND_ERR_BAD_REQUEST' ? 400 : 500;
  const body = JSON.stringify({ error: e.toWire() });
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}
