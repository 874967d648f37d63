// The IPC protocol between the daemon and an app's cluster primary (src/cluster/primary.ts). Types only:
// the primary is bundled on its own and must not pull in anything of the daemon. JSON serialisation (Node's
// default), because the primary runs on the app's Node binary, which may not be the daemon's: output chunks
// travel as base64. `ref` names one worker process (one fork), chosen by the daemon.

export interface PrimarySetup {
  type: 'setup';
  /** The user's script, its arguments, and the workers' Node options (node_args). */
  exec: string;
  args: string[];
  execArgv: string[];
  cwd: string;
}

export type DaemonToPrimary =
  | PrimarySetup
  /** Fork a worker with exactly this environment. */
  | { type: 'fork'; ref: number; env: Record<string, string> }
  /** Stop routing connections to the worker and close its servers (Node's worker.disconnect()). */
  | { type: 'disconnect'; ref: number }
  /** Pass a message to the worker ('shutdown' with shutdown_with_message). */
  | { type: 'send'; ref: number; message: unknown }
  /** No worker is left: exit (workers still there, if any, are killed). */
  | { type: 'shutdown' };

export type PrimaryToDaemon =
  /** The worker process exists (or could not be spawned: pid null, `error` says why). */
  | { type: 'forked'; ref: number; pid: number | null; error: string | null }
  | { type: 'listening'; ref: number; address: string | null; port: number | null }
  /** The worker sent 'ready' (or `{ type: 'ready' }`); other worker messages are not forwarded… */
  | { type: 'ready'; ref: number }
  /** …but answers to the daemon's questions (`{ type: 'tend:…', id }`: the app's metrics, issue 14). */
  | { type: 'message'; ref: number; message: unknown }
  /** The worker's IPC channel closed: it serves no more (after a disconnect, its servers are closed). */
  | { type: 'disconnected'; ref: number }
  | { type: 'output'; ref: number; fd: 1 | 2; data: string }
  /** The worker's stdout (1) or stderr (2) ended. */
  | { type: 'eof'; ref: number; fd: 1 | 2 }
  | { type: 'exit'; ref: number; code: number | null; signal: string | null };
