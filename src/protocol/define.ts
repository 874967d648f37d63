import type { ErrorCode } from './errors.js';
import type * as z from './zod.js';

/** One protocol method: the single definition both sides import (the daemon for validation, the client for types). */
export interface MethodDef<
  Name extends string = string,
  P extends z.ZodMiniType = z.ZodMiniType,
  R extends z.ZodMiniType = z.ZodMiniType,
> {
  name: Name;
  summary: string;
  params: P;
  result: R;
  errors: readonly ErrorCode[];
}

export function defineMethod<Name extends string, P extends z.ZodMiniType, R extends z.ZodMiniType>(
  def: MethodDef<Name, P, R>,
): MethodDef<Name, P, R> {
  return def;
}
