// Which app instance a process id is: events and log batches carry the daemon-wide id, the HTTP streams
// speak of `app` and `instance_id` (the instance number within the app, 0..N-1, as the metrics do). A cache
// of the units, rebuilt when an id is missing, so a line costs a map lookup.
import type { Supervisor } from '../../supervisor/supervisor.js';
import type { ProcessUnit } from '../../supervisor/unit.js';

export class InstanceIndex {
  private units = new Map<number, ProcessUnit>();

  constructor(private readonly supervisor: Supervisor) {}

  unit(id: number): ProcessUnit | undefined {
    let u = this.units.get(id);
    if (u === undefined && this.supervisor.has(id)) {
      this.units = new Map(this.supervisor.instances().map((x) => [x.id, x]));
      u = this.units.get(id);
    }
    return u;
  }

  /** The instance number of a process id, or null when it is unknown (deleted before it was seen). */
  instanceOf(id: number): number | null {
    return this.unit(id)?.instance ?? null;
  }

  forget(id: number): void {
    this.units.delete(id);
  }
}
