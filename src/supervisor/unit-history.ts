// What `describe` shows of one instance's past: its restart decisions and its last exits, both bounded.
import type { ExitInfo } from '../protocol/process-info.js';

export interface RestartRecord {
  at: number;
  reason: string;
  delay_ms: number | null;
  /** The exit that led to this decision, or null (a requested restart, a failed spawn, a reload). */
  exit: ExitInfo | null;
}

/** Decisions kept (newest last). */
const HISTORY = 20;
/** Exits kept (newest last). */
const EXITS = 5;

export class UnitHistory {
  private readonly records: RestartRecord[] = [];
  private readonly exitList: ExitInfo[] = [];

  record(record: RestartRecord): void {
    this.records.push(record);
    if (this.records.length > HISTORY) this.records.shift();
  }

  exited(exit: ExitInfo): void {
    this.exitList.push(exit);
    if (this.exitList.length > EXITS) this.exitList.shift();
  }

  restarts(): RestartRecord[] {
    return [...this.records];
  }

  exits(): ExitInfo[] {
    return [...this.exitList];
  }
}
