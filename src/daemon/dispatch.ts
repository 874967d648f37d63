// The request pipeline, transport-neutral: a frame (a line of text, or a body a transport already parsed)
// becomes a response. Everything between bytes and a handler is here, once: JSON parsing, the request
// shape, the method table, the hello gate, params validation, the shutdown gate, the handler call and the
// mapping of whatever it throws to a wire error. A transport (the Unix socket today, HTTP later) only frames
// bytes and keeps its connections; tests call dispatch() directly, as fastify's inject() does.
import { nestingProblem } from '../protocol/depth.js';
import { isTendError, TendError } from '../protocol/errors.js';
import type { ResponseFrame } from '../protocol/frames.js';
import { type MethodName, methods } from '../protocol/methods/index.js';
import type { ConnectionContext, DaemonContext } from './context.js';
import { handlers } from './handlers/index.js';
import { describeIssues } from './issues.js';

/** What one request runs with: the daemon, and the state of the connection it came on. */
export interface RequestContext {
  daemon: DaemonContext;
  connection: ConnectionContext;
}

/** Parses one NDJSON line, then dispatches it. */
export function dispatchLine(ctx: RequestContext, line: string): Promise<ResponseFrame> {
  let body: unknown;
  try {
    body = JSON.parse(line);
  } catch {
    return Promise.resolve(
      reject(null, new TendError('TEND_ERR_BAD_REQUEST', { detail: 'frame is not valid JSON' })),
    );
  }
  const deep = nestingProblem(body);
  if (deep !== null)
    return Promise.resolve(
      reject(isRequest(body) ? body.id : null, new TendError('TEND_ERR_BAD_REQUEST', { detail: deep })),
    );
  return dispatch(ctx, body);
}

/**
 * One request (already parsed JSON) → its response. Never rejects: every failure is an error frame. An
 * error with `id: null` answers a frame whose id could not be read.
 */
export async function dispatch(ctx: RequestContext, body: unknown): Promise<ResponseFrame> {
  if (!isRequest(body)) {
    return reject(
      null,
      new TendError('TEND_ERR_BAD_REQUEST', {
        detail: 'a request is {"id": <integer>, "method": <string>, "params": …}',
      }),
    );
  }
  const { id, method } = body;
  if (!Object.hasOwn(methods, method))
    return reject(id, new TendError('TEND_ERR_UNKNOWN_METHOD', { method }));
  const name = method as MethodName;
  const conn = ctx.connection;
  if (conn.helloGate && !conn.greeted && name !== 'daemon.hello') {
    return reject(
      id,
      new TendError('TEND_ERR_BAD_REQUEST', { detail: 'the first request must be daemon.hello' }),
    );
  }
  const parsed = paramsSchema(name).safeParse(body.params ?? {});
  if (!parsed.success) {
    return reject(
      id,
      new TendError('TEND_ERR_BAD_REQUEST', { detail: `${method}: ${describeIssues(parsed.error)}` }),
    );
  }
  // hello stays open while shutting down: a client learns who it talks to, then gets the refusal.
  if (name !== 'daemon.hello' && ctx.daemon.isShuttingDown())
    return reject(id, new TendError('TEND_ERR_SHUTTING_DOWN', {}));
  const handler = handlers[name] as (
    p: unknown,
    c: DaemonContext,
    conn: ConnectionContext,
  ) => Promise<unknown>;
  // Set before the first await: a client pipelines its first request right behind the hello, and a
  // transport dispatches the lines of one read in order, synchronously up to here.
  if (name === 'daemon.hello') conn.greeted = true;
  try {
    // The handler runs from a microtask, never inside the transport's read callback, as it always has: code
    // below relies on that ordering (triggers/watch.ts binds chokidar's 'ready' after an await, and from
    // inside a read callback the process.nextTick that emits 'ready' ran first: the app never watched).
    await Promise.resolve();
    const result = await handler(parsed.data, ctx.daemon, conn);
    return { id, result };
  } catch (err) {
    // isTendError: tend-runtime's control socket is its own bundle, with its own copy of the TendError class.
    if (isTendError(err)) return reject(id, err);
    // A bug. The stack goes to daemon.log, never to the peer (it names files and lines of the install).
    const detail = err instanceof Error ? err.message : String(err);
    ctx.daemon.log(`internal error in ${name}: ${err instanceof Error ? err.stack : detail}`);
    return reject(id, new TendError('TEND_ERR_INTERNAL', { detail }));
  }
}

/**
 * Schemas are built per request and dropped afterwards (protocol/define.ts: the daemon's footprint), except
 * the two every connection of the CLI sends: the hello, and the list (`tend ls`, and the CLI's target
 * lookups). Built for each of a flood of connections, they were a third of the daemon's work (zod's object
 * construction and its first-parse checks, then the garbage). Both take no object or array default a handler
 * could mutate, so one instance serves every request.
 */
const kept = new Map<MethodName, ReturnType<(typeof methods)[MethodName]['params']>>();
const KEPT: readonly MethodName[] = ['daemon.hello', 'process.list'];

function paramsSchema(name: MethodName) {
  if (!KEPT.includes(name)) return methods[name].params();
  const schema = kept.get(name) ?? methods[name].params();
  kept.set(name, schema);
  return schema;
}

function reject(id: number | null, err: TendError): ResponseFrame {
  return { id, error: err.toWire() };
}

function isRequest(v: unknown): v is { id: number; method: string; params?: unknown } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  return Number.isSafeInteger(r.id) && typeof r.method === 'string';
}
