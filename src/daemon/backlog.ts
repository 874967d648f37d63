// Work that may wait, done one step per turn of the event loop so that the loop polls its sockets between two
// steps (the socket server's new connections: see below).

/** Something with work in steps: step() does one, and says whether more is left. */
export interface Step {
  step(): boolean;
}

/**
 * The socket server's queue for new connections: each is admitted (its socket starts being read: connections
 * arrive paused), then its lines wait their turn again until it has greeted; one step per turn of the event
 * loop (setImmediate: the loop polls its sockets between two turns). A connection that greeted is read and
 * served as its bytes arrive, so a flood of new connections (each a socket to read, a hello, a request, the
 * handlers' work) cannot hold up the answers to clients already talking: issue 16 wants `list` during a flood
 * of 500 connections within 2× its idle time. Steps are taken in turn: an item with more to do after a step
 * goes to the end, behind those that came after it.
 */
export class Backlog<T extends Step> {
  private readonly waiting = new Set<T>();
  private scheduled = false;

  add(c: T): void {
    this.waiting.add(c);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.turn);
  }

  private readonly turn = () => {
    const [c] = this.waiting;
    // Done, it leaves; with more to do, it goes to the end: one step each in turn, so that a connection with
    // many lines to go cannot hold up those behind it (verification of the tenth audit).
    if (c) {
      this.waiting.delete(c);
      if (c.step()) this.waiting.add(c);
    }
    if (this.waiting.size > 0) setImmediate(this.turn);
    else this.scheduled = false;
  };
}
