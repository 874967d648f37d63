import type { Alerts } from '../alerts/index.js';
import type { AppSpec } from '../config/spec.js';
import type { DependencyService } from '../deps/dependency-service.js';
import type { LogService } from '../logs/log-service.js';
import type { StateFile } from '../persist/saved-apps.js';
import type { TendEvent } from '../protocol/events.js';
import type { HomePaths } from '../protocol/home.js';
import type { DaemonSettings } from '../settings/types.js';
import type { EventBus } from '../supervisor/event-bus.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { WebControl } from './http-control.js';
import type { Persistence } from './persistence.js';

/** What a handler may use. One per daemon; `connection` is per request. */
export interface DaemonContext {
  supervisor: Supervisor;
  bus: EventBus;
  /** depends_on: start, stop and restart in dependency order, waits and cascades (src/deps). */
  deps: DependencyService;
  /** Log files, rotation and live lines. */
  logs: LogService;
  paths: HomePaths;
  log(line: string): void;
  /**
   * Stops every process and the daemon, after the current replies are flushed. With `handover`, state.json
   * is left with that list marked for the next daemon to restore (`tend update`).
   */
  shutdown(reason: string, handover?: StateFile): void;
  /** save/resurrect/update: the list as it would be saved, notices of the start, serialised resurrects. */
  persistence: Persistence;
  /** True once shutdown has begun: new requests are refused with TEND_ERR_SHUTTING_DOWN. */
  isShuttingDown(): boolean;
  // issue 14: the daemon's settings ($TEND_HOME/tend.config.yaml) and its HTTP listeners (`tend web`).
  settings: DaemonSettings;
  web: WebControl;
  /** Issue 14, alerts: notify hooks and their counters (`alerts.stats()`); absent in in-process tests. */
  alerts?: Alerts;
  /**
   * Issue 17: `pm2` when the home is a PM2 home (tend-pm2's marker, pm2/home/marker.ts): default log files
   * named PM2's way, pid files in pids/. Absent: tend's layout.
   */
  layout?: 'tend' | 'pm2';
  /**
   * Issue 15: what this process is, as /livez and /readyz name it (`[+]runtime ok`, `[-]runtime shutting
   * down`): tend-runtime's context says `runtime`. Absent: the daemon.
   */
  role?: 'daemon' | 'runtime';
  /**
   * Issue 15, tend-runtime --no-auto-exit: the apps whose end would have ended the runtime (a failure, a
   * service gone in orchestrator mode; container/outcome.ts's appEnding), each with what happened. /readyz
   * and /livez?app= fail for them until they start again. Absent: the daemon.
   */
  heldEnds?(): ReadonlyMap<string, string>;
  /**
   * Issue 15, tend-runtime: an app started over its control socket, made as the runtime makes its own
   * (`--restart orchestrator`: no restart in place; its end decides nothing). Absent: the daemon.
   */
  adopt?(spec: AppSpec): AppSpec;
  /**
   * Issue 15, tend-runtime: whether app `name` is one of the pod's (the file's), which the whole /readyz and
   * /startupz judge; one added over the control socket answers only when asked by name (`?app=`). Absent:
   * every app counts (the daemon).
   */
  counts?(name: string): boolean;
}

/** The state of one connection (or, for a stateless transport, of one request), as dispatch sees it. */
export interface ConnectionContext {
  /** Whether this transport requires `daemon.hello` first (the socket does; a transport may not). */
  readonly helloGate: boolean;
  /** Set by dispatch once `daemon.hello` was accepted. */
  greeted: boolean;
  /** Sends an event frame on the requesting connection (subscriptions). */
  sendEvent(frame: TendEvent): void;
  /** Runs fn when the requesting connection closes. */
  onClose(fn: () => void): void;
  /** Bytes queued for this connection that the peer has not read yet. */
  backlog(): number;
}
