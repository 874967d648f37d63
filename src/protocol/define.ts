import type { ErrorCode } from './errors.js';
import type * as z from './zod.js';

/**
 * One protocol method: the single definition both sides import (the daemon for validation, the client for
 * types). Schemas are builders, called when a request is validated and garbage afterwards: kept as values,
 * the protocol's ~300 zod schemas would sit in the daemon's memory for its whole life (~0.5 MiB), for
 * requests it sees a few times a day. Two are kept by dispatch (daemon/dispatch.ts): `daemon.hello`'s and
 * `process.list`'s, which every CLI command and every connection of a flood send (issue 16). Nothing validates results at run time: `result` is for the types (and
 * the docs' contract test).
 */
export interface MethodDef<
  Name extends string = string,
  P extends z.ZodMiniType = z.ZodMiniType,
  R extends z.ZodMiniType = z.ZodMiniType,
> {
  name: Name;
  summary: string;
  params: () => P;
  result: () => R;
  errors: readonly ErrorCode[];
}

export function defineMethod<Name extends string, P extends z.ZodMiniType, R extends z.ZodMiniType>(
  def: MethodDef<Name, P, R>,
): MethodDef<Name, P, R> {
  return def;
}

/**
 * One event the daemon sends: its name, what it means, and its data's schema, a builder for the same reason
 * as a method's. The TypeScript type of every event frame is derived from these (events.ts).
 */
export interface EventDef<
  Name extends string = string,
  D extends z.ZodMiniType = z.ZodMiniType,
  S extends 'events' | 'logs' = 'events' | 'logs',
> {
  name: Name;
  summary: string;
  /** `events.subscribe` (the bus), or `logs.subscribe` (a log follower's own stream) only. */
  stream: S;
  data: () => D;
}

export function defineEvent<Name extends string, D extends z.ZodMiniType, S extends 'events' | 'logs'>(
  def: EventDef<Name, D, S>,
): EventDef<Name, D, S> {
  return def;
}
