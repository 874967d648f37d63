// The daemon's event bus: the supervisor publishes, the server's subscribers, policies and the state file
// listen. Synchronous delivery, so a listener sees events in the order they happened.
import type { EventData, EventName, TendEvent } from '../protocol/events.js';

type Listener = (e: TendEvent) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();

  publish<E extends EventName>(event: E, data: EventData<E>): void {
    const frame = { event, data } as TendEvent;
    for (const l of [...this.listeners]) {
      try {
        l(frame);
      } catch {
        // A failing listener must not break the unit that published (nor the other listeners).
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
