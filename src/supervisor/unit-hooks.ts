// The hooks of one process of an instance. What its events mean depends on the role the process has when
// they arrive: the instance's current process, a reload's replacement (successor), or one being retired.
import type { ChildHooks, ListenAddress } from './ports.js';
import type { Replacement } from './replacement.js';

/** What the unit does with the events of its current process. */
export interface CurrentProcess {
  spawnFailed(reason: string): void;
  spawned(): void;
  exited(code: number | null, signal: string | null): void;
  ready(): void;
  /** `process.send('watchdog')`. */
  watchdog(): void;
  /** A server of the current process or of the successor (pid) listens. */
  listening(pid: number | null, address: ListenAddress): void;
  /** The current process's pid. */
  pid(): number | null;
  /** Any other message of the current process: true when it was an answer to the daemon (app-requests.ts). */
  message(message: unknown): boolean;
}

export function processHooks(
  generation: number,
  command: string,
  role: () => 'current' | 'successor' | 'retiring' | null,
  current: CurrentProcess,
  replacement: Replacement,
): ChildHooks {
  return {
    onSpawnError: (err) => {
      const reason = `cannot start ${command}: ${err.code ?? err.message}`;
      const r = role();
      if (r === 'current') current.spawnFailed(reason);
      else if (r === 'successor') replacement.spawnFailed(reason);
      else if (r === 'retiring') replacement.gone(generation);
    },
    onSpawned: () => {
      const r = role();
      if (r === 'current') current.spawned();
      else if (r === 'successor') replacement.spawned();
    },
    onExit: (code, signal) => {
      const r = role();
      if (r === 'current') current.exited(code, signal);
      else if (r === 'successor') replacement.exited(code, signal);
      else if (r === 'retiring') replacement.gone(generation);
    },
    onMessage: (message) => {
      const r = role();
      if (r === 'current' && current.message(message)) return;
      if (isKind(message, 'watchdog')) {
        if (r === 'current') current.watchdog();
        return;
      }
      if (!isKind(message, 'ready')) return;
      if (r === 'current') current.ready();
      else if (r === 'successor') replacement.readySignal('ready');
    },
    onListening: (address) => {
      const r = role();
      if (r !== 'current' && r !== 'successor') return;
      current.listening(r === 'current' ? current.pid() : replacement.pid, address);
      if (r === 'successor') replacement.readySignal('listening');
    },
  };
}

/** `process.send('ready')`, or `{ type: 'ready' }` (and the same for 'watchdog'). */
function isKind(message: unknown, kind: 'ready' | 'watchdog'): boolean {
  return (
    message === kind ||
    (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === kind)
  );
}
