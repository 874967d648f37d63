// The global cap on exec probes running at once (issue 13: "a global limit caps how many run at once").
// An exec probe is a process: fifty instances probed by a shell script every second must not fork fifty
// shells in the same instant on a small machine. HTTP and TCP probes are sockets and are not capped.
//
// Slots are granted first come, first served. A probe waiting for a slot counts its timeout from when it was
// asked, not from when it got the slot: a probe that could not even run within its timeout has failed
// (`timeout after 1000 ms waiting for an exec probe slot (8 in use)`). The alternative, counting from the
// slot, would let a long queue delay every verdict without bound, hiding the overload the limit exists for.

/** The default cap; `TEND_PROBE_CONCURRENCY` (a positive integer) in the daemon's environment overrides it. */
export const DEFAULT_EXEC_CONCURRENCY = 8;

/** Reads TEND_PROBE_CONCURRENCY; anything but a positive integer means the default. */
export function execConcurrencyFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TEND_PROBE_CONCURRENCY?.trim();
  if (raw === undefined || !/^\d+$/.test(raw)) return DEFAULT_EXEC_CONCURRENCY;
  const n = Number(raw);
  return n >= 1 ? n : DEFAULT_EXEC_CONCURRENCY;
}

/** One request for a slot: `granted` resolves when it has one; `release()` gives it back or leaves the queue. */
export interface SlotTicket {
  readonly granted: Promise<void>;
  release(): void;
}

export class ExecSlots {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`exec probe limit must be ≥ 1, got ${limit}`);
  }

  /** Probes running now. */
  get running(): number {
    return this.active;
  }

  /** Probes waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  take(): SlotTicket {
    let state: 'waiting' | 'held' | 'done' = 'waiting';
    let grant!: () => void;
    const granted = new Promise<void>((resolve) => {
      grant = () => {
        state = 'held';
        this.active++;
        resolve();
      };
    });
    if (this.active < this.limit) grant();
    else this.queue.push(grant);
    return {
      granted,
      release: () => {
        if (state === 'done') return;
        if (state === 'waiting') {
          const at = this.queue.indexOf(grant);
          if (at >= 0) this.queue.splice(at, 1);
        } else {
          this.active--;
          this.queue.shift()?.();
        }
        state = 'done';
      },
    };
  }
}
