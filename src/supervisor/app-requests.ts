// Questions the daemon asks an instance's process over its IPC channel, and their answers: `{ type, id }` out,
// `{ type, id, … }` back (issue 14: `tend:metrics`, answered by the tend/metrics helper with its registry).
// The unit routes every IPC message of its current process here first; a message that answers nothing
// pending is still consumed when it is shaped as an answer (type `tend:…` and a numeric id), so a late
// answer never reaches the readiness checks. Nothing is allocated until the first question.
import type { Clock } from './ports.js';

export type Answer =
  | { ok: true; reply: Record<string, unknown> }
  | { ok: false; why: 'no-channel' | 'timeout' };

/** Ids are unique in the daemon: an answer can never be taken for another instance's. */
let nextId = 1;

export class AppRequests {
  private pending: Map<number, (reply: Record<string, unknown>) => void> | null = null;

  /** Sends `{ type, id }` with `send`; resolves with the answer, or why there is none. Never rejects. */
  ask(type: string, send: (message: unknown) => boolean, timeoutMs: number, clock: Clock): Promise<Answer> {
    const id = nextId++;
    this.pending ??= new Map();
    const pending = this.pending;
    return new Promise<Answer>((resolve) => {
      const timer = clock.setTimer(timeoutMs, () => {
        pending.delete(id);
        resolve({ ok: false, why: 'timeout' });
      });
      pending.set(id, (reply: Record<string, unknown>) => {
        timer.cancel();
        pending.delete(id);
        resolve({ ok: true, reply });
      });
      if (!send({ type, id })) {
        timer.cancel();
        pending.delete(id);
        resolve({ ok: false, why: 'no-channel' });
      }
    });
  }

  /** A message of the current process: true when it is an answer (and so consumed here). */
  receive(message: unknown): boolean {
    if (typeof message !== 'object' || message === null) return false;
    const { type, id } = message as { type?: unknown; id?: unknown };
    if (typeof type !== 'string' || !type.startsWith('tend:') || typeof id !== 'number') return false;
    this.pending?.get(id)?.(message as Record<string, unknown>);
    return true;
  }
}
