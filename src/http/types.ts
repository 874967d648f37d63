// What the HTTP layer gets from the daemon, and what a route gets for one request. The daemon passes its
// own dispatch() in (http/index.ts): handlers, validation and error classes stay the daemon's, the HTTP
// bundle (dist/daemon-http.cjs) holds none of them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DaemonContext } from '../daemon/context.js';
import type { RequestContext } from '../daemon/dispatch.js';
import type { MetricsService } from '../metrics/index.js';
import type { EventName } from '../protocol/events.js';
import type { ResponseFrame } from '../protocol/frames.js';
import type { MethodName } from '../protocol/methods/index.js';
import type { Auth } from './guard.js';
import type { Sessions } from './sessions.js';
import type { Streams } from './streams/index.js';
import type { Scope, TokenPair } from './tokens.js';

export type Dispatch = (ctx: RequestContext, body: unknown) => Promise<ResponseFrame>;

export interface HttpDeps {
  daemon: DaemonContext;
  dispatch: Dispatch;
}

export type ListenerKind = 'api' | 'health';

export interface ListenerInfo {
  kind: ListenerKind;
  url: string;
}

/** What every route may use: the daemon, the protocol, the services of the API listener. */
export interface ApiServices {
  daemon: DaemonContext;
  /** Runs a protocol method through dispatch; resolves with its result or rejects with its wire error. */
  call(method: MethodName, params: unknown): Promise<unknown>;
  sessions: Sessions;
  tokens(): TokenPair;
  streams(): Streams;
  metrics(): MetricsService;
  listeners(): ListenerInfo[];
}

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Path parameters (`:target`), decoded. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The parsed JSON body of a POST (`{}` when empty); undefined for other verbs. */
  body: unknown;
  auth: Auth | null;
  api: ApiServices;
}

export interface QueryParam {
  name: string;
  description: string;
  type?: 'string' | 'integer' | 'boolean';
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** `/api/v1/processes/:target`: segments starting with `:` are parameters. */
  path: string;
  /** `none`: no credentials needed (the dashboard's files, logging in). */
  scope: Scope | 'none';
  summary: string;
  /** The protocol method behind the route (the OpenAPI document takes its params and result from it). */
  protocol?: MethodName;
  /** The body: the method's params (minus the path's), or a description for the others. */
  body?: 'params' | { description: string; schema: Record<string, unknown> };
  query?: readonly QueryParam[];
  /** Server-sent events (text/event-stream) instead of JSON. */
  sse?: boolean;
  /** The protocol events such a stream sends as they are (the OpenAPI document gives their data schemas). */
  events?: readonly EventName[];
  /** Overrides the protocol method's result in the OpenAPI document. */
  result?: Record<string, unknown>;
  handle(r: RouteRequest): Promise<void> | void;
}
