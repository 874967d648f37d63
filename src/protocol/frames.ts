// The shapes of frames on the wire (plain types: the CLI imports these without loading zod).
import type { WireError } from './errors.js';

export interface RequestFrame {
  id: number;
  method: string;
  params?: unknown;
}
export type ResponseFrame = { id: number; result: unknown } | { id: number | null; error: WireError };
export interface EventFrame {
  event: string;
  data: unknown;
}
export type ServerFrame = ResponseFrame | EventFrame;
