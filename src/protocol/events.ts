// Events the daemon publishes on its bus and sends to subscribers. Plain types: the CLI imports them freely.
import type { ExitInfo, ProcessInfo, Status } from './process-info.js';

export type TendEvent =
  | {
      event: 'process.state';
      data: { id: number; name: string; from: Status; to: Status; at: number; process: ProcessInfo };
    }
  | { event: 'process.exit'; data: { id: number; name: string; exit: ExitInfo } }
  | {
      event: 'process.restart-scheduled';
      data: { id: number; name: string; delay_ms: number; next_start_at: number; reason: string };
    }
  | { event: 'process.deleted'; data: { id: number; name: string } };

export type EventName = TendEvent['event'];
export type EventData<E extends EventName> = Extract<TendEvent, { event: E }>['data'];
