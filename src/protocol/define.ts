import type { z } from 'zod';
import type { ErrorCode } from './errors.js';

/** One protocol method: the single definition both sides import (the daemon for validation, the client for types). */
export interface MethodDef<
  Name extends string = string,
  P extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  name: Name;
  summary: string;
  params: P;
  result: R;
  errors: readonly ErrorCode[];
}

export function defineMethod<Name extends string, P extends z.ZodType, R extends z.ZodType>(
  def: MethodDef<Name, P, R>,
): MethodDef<Name, P, R> {
  return def;
}
