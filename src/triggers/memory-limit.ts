// `max_memory_restart`: every `memory_check_interval`, the resident memory of each online instance's whole
// process tree (the process and every descendant) is sampled; an instance above the limit is restarted
// gracefully. Only apps with a limit are sampled, and only while they are wanted up.
import type { AppSpec } from '../config/spec.js';
import type { Clock, Timer, TreeMemory } from '../supervisor/ports.js';
import type { ProcessUnit } from '../supervisor/unit.js';

export type { TreeMemory } from '../supervisor/ports.js';

export interface MemoryDeps {
  clock: Clock;
  probe: TreeMemory;
  /** The app's units now. */
  units(): readonly ProcessUnit[];
  onExceeded(unit: ProcessUnit, rss: number): void;
}

export class MemoryLimit {
  private timer: Timer | null = null;

  constructor(
    private readonly spec: AppSpec,
    private readonly deps: MemoryDeps,
  ) {}

  start(): void {
    if (this.timer) return;
    this.arm();
  }

  private arm(): void {
    this.timer = this.deps.clock.setTimer(this.spec.memory_check_interval, () => {
      this.check();
      if (this.timer) this.arm();
    });
  }

  /** One sample of every online instance. */
  check(): void {
    const online = this.deps.units().filter((u) => u.status === 'online' && u.pid !== null);
    if (online.length === 0) return;
    const rss = this.deps.probe.sample(online.map((u) => u.pid as number));
    for (const unit of online) {
      const bytes = rss.get(unit.pid as number);
      if (bytes !== undefined && bytes > this.spec.max_memory_restart) this.deps.onExceeded(unit, bytes);
    }
  }

  close(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}
