// Writing answers: JSON (never cached), errors as `{ error: { code, message, data } }` with the status of
// their code (status.ts), and plain expositions (metrics, health endpoints).
import type { ServerResponse } from 'node:http';
import { isTendError, type WireError } from '../protocol/errors.js';
import { statusOf } from './status.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** A wire error (from dispatch) or a TendError: its status comes from its code. */
export function sendError(res: ServerResponse, err: WireError, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendJson(res, statusOf(err.code), {
    error: { code: err.code, message: err.message, data: err.data ?? {} },
  });
}

export function toWire(err: unknown): WireError | null {
  return isTendError(err) ? err.toWire() : null;
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
