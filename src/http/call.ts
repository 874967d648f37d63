// A protocol request from an HTTP route: the same dispatch() as the socket, with a connection context of
// its own (no hello gate: the HTTP layer authenticated the caller; no events: subscriptions are the SSE
// routes). Results are plain data; env values are redacted by the route (redact.ts) unless revealed.
import type { ConnectionContext, DaemonContext } from '../daemon/context.js';
import type { WireError } from '../protocol/errors.js';
import type { MethodName } from '../protocol/methods/index.js';
import type { Dispatch } from './types.js';

/** A rejection of call(): the daemon's error as it would cross the socket. */
export class CallError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

let nextId = 1;

export function makeCall(daemon: DaemonContext, dispatch: Dispatch) {
  return async (method: MethodName, params: unknown): Promise<unknown> => {
    const closers: (() => void)[] = [];
    const connection: ConnectionContext = {
      helloGate: false,
      greeted: false,
      sendEvent: () => {},
      onClose: (fn) => closers.push(fn),
      backlog: () => 0,
    };
    const id = nextId++;
    if (nextId > Number.MAX_SAFE_INTEGER) nextId = 1;
    const frame = await dispatch({ daemon, connection }, { id, method, params });
    // Nothing a handler registered outlives its request (no subscription is reachable from here).
    for (const fn of closers) fn();
    if ('error' in frame) throw new CallError(frame.error);
    return frame.result;
  };
}
