// Signal names as users type them: "SIGUSR2", "usr2", "USR2" or "12". Linux numbers; 0 is not a signal.
import { constants } from 'node:os';

const byNumber = new Map<number, NodeJS.Signals>();
for (const [name, value] of Object.entries(constants.signals)) {
  // Aliases (SIGIOT = SIGABRT, SIGPOLL = SIGIO): the first name listed is the usual one.
  if (!byNumber.has(value)) byNumber.set(value, name as NodeJS.Signals);
}

/** The usual name of signal number `n` (SIGABRT for 6, not SIGIOT), or null if this system has none. */
export function signalName(n: number): NodeJS.Signals | null {
  return byNumber.get(n) ?? null;
}

/** The canonical name of the signal `input` means, or null if it is not one of this system's signals. */
export function parseSignal(input: string): NodeJS.Signals | null {
  const text = input.trim();
  if (/^\d+$/.test(text)) return byNumber.get(Number(text)) ?? null;
  const upper = text.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return Object.hasOwn(constants.signals, name) ? (name as NodeJS.Signals) : null;
}
