// The processes that had to be SIGKILLed at their app's kill_timeout during a shutdown, for the exit code
// (1: "some processes had to be SIGKILLed"). `process.killed` is tend sending the SIGKILL, not the death: an
// app that exits 0 on its own a moment before its kill_timeout, its exit read after the timer fired, was
// counted (sixth audit: exit 1 after "exited (code 0, signal null)"). Counted here: an instance whose next
// exit after its `process.killed` is by SIGKILL. The grace period's SIGKILLs are track-children.ts's.
import type { TendEvent } from '../protocol/events.js';

export class TimeoutKills {
  /** Instances sent SIGKILL at their kill_timeout, whose exit is not known yet. */
  private readonly sent = new Set<number>();
  private died = 0;

  /** Every bus event while the apps are being stopped. */
  observe(e: TendEvent): void {
    if (e.event === 'process.killed') this.sent.add(e.data.id);
    else if (e.event === 'process.exit' && this.sent.delete(e.data.id) && e.data.exit.signal === 'SIGKILL')
      this.died += 1;
  }

  /** How many died of it. */
  get count(): number {
    return this.died;
  }
}
