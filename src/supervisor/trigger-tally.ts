// What the restart triggers (src/triggers: watch, memory limit, cron) did to one instance and will do next:
// restarts they asked for, counted apart from crash restarts, and their live status. The unit owns it (it is
// part of the snapshot); the triggers write it.

/** Why a restart was asked for by a trigger rather than by a user or the restart policy. */
export type TriggerReason = 'watch' | 'memory' | 'cron';

export class TriggerTally {
  private readonly counts: Record<TriggerReason, number> = { watch: 0, memory: 0, cron: 0 };
  /** A file watcher is attached to the app (set once it is ready, cleared once it is closed). */
  watching = false;
  /** When cron_restart fires next (epoch ms), or null. */
  nextCronAt: number | null = null;

  count(reason: TriggerReason): void {
    this.counts[reason] += 1;
  }

  /** `tend reset`: the counts start again from zero. */
  reset(): void {
    this.counts.watch = 0;
    this.counts.memory = 0;
    this.counts.cron = 0;
  }

  /** The jlist fields (docs/cli.md). */
  info() {
    return {
      watching: this.watching,
      watch_restarts: this.counts.watch,
      memory_restarts: this.counts.memory,
      cron_restarts: this.counts.cron,
      next_cron_at: this.nextCronAt,
    };
  }
}
