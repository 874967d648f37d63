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
  | { event: 'process.deleted'; data: { id: number; name: string } }
  /** A process did not stop within kill_timeout of its kill signal and was killed (SIGKILL to its tree). */
  | {
      event: 'process.killed';
      data: { id: number; name: string; pid: number | null; signal: string; timeout_ms: number };
    }
  /** A cluster worker (the instance's process, or its replacement during a reload) listens on a server. */
  | {
      event: 'process.listening';
      data: { id: number; name: string; pid: number | null; address: string | null; port: number | null };
    }
  /**
   * A rolling reload of one instance: `replaced` (the replacement is ready and serves; the old process is
   * being stopped), `retired` (the old process is gone: this instance is reloaded), `failed` (the replacement
   * was not ready in time, or exited; it is gone and the old process keeps serving).
   */
  | {
      event: 'process.reload';
      data: {
        id: number;
        name: string;
        outcome: 'replaced' | 'retired' | 'failed';
        /** The replacement's pid. */
        pid: number | null;
        /** The pid being replaced. */
        old_pid: number | null;
        reason: string | null;
      };
    }
  /** A restart trigger (watch, memory limit, cron) is restarting (or, cron, starting) this instance. */
  | {
      event: 'process.triggered';
      data: { id: number; name: string; reason: 'watch' | 'memory' | 'cron'; detail: string };
    }
  /**
   * Lines of an instance never reached its log file (a full disk, a write error, a file that could not be
   * opened): `lines` since the previous event of this instance (at most one a second), `total` so far.
   */
  | {
      event: 'process.log-dropped';
      data: { id: number; name: string; path: string; lines: number; total: number };
    }
  /** An app's file watcher is ready (`watching: true`, its paths watched) or closed (`watching: false`). */
  | { event: 'app.watch'; data: { name: string; watching: boolean; paths: string[] } }
  /** A log rotation of an app is complete: files renamed, old generations deleted, new ones compressed. */
  | {
      event: 'log.rotated';
      data: {
        name: string;
        reason: 'size' | 'interval';
        at: number;
        files: { path: string; rotated_to: string }[];
        deleted: string[];
      };
    }
  /** Lines of one process as written to its log file (logs.subscribe only, never on events.subscribe). */
  | {
      event: 'log.lines';
      data: {
        id: number;
        name: string;
        stream: 'out' | 'err';
        at: number;
        /** The file, its inode and the byte offset of the first line; null for /dev/null. */
        path: string | null;
        ino: number | null;
        offset: number | null;
        lines: string[];
      };
    }
  /** Lines this subscriber did not get because it read too slowly (logs.subscribe only). */
  | { event: 'log.dropped'; data: { lines: number } };

export type EventName = TendEvent['event'];
export type EventData<E extends EventName> = Extract<TendEvent, { event: E }>['data'];
