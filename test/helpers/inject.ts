// In-process requests, in the manner of fastify's inject(): a real DaemonContext (a real Supervisor, real
// log files, real processes, in a temporary TEND_HOME) and dispatch() called with request objects, without a
// socket. `close()` stops every process it started and removes the home.

import { createClusterSpawner } from '../../src/cluster/cluster-spawner.js';
import type { ConnectionContext, DaemonContext } from '../../src/daemon/context.js';
import { dispatch, type RequestContext } from '../../src/daemon/dispatch.js';
import { createWebControl } from '../../src/daemon/http-control.js';
import { createPersistence } from '../../src/daemon/persistence.js';
import { DependencyService } from '../../src/deps/dependency-service.js';
import { LogService } from '../../src/logs/log-service.js';
import { referenceSpec } from '../../src/persist/reference-spec.js';
import { type StateFile, snapshotApps } from '../../src/persist/saved-apps.js';
import type { TendEvent } from '../../src/protocol/events.js';
import type { ResponseFrame } from '../../src/protocol/frames.js';
import { homePaths } from '../../src/protocol/home.js';
import type { MethodName, ParamsIn, Result } from '../../src/protocol/methods/index.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import { primeSchemaKinds } from '../../src/protocol/zod.js';
import { realClock } from '../../src/runtime/clock.js';
import { createInspector } from '../../src/runtime/inspector.js';
import { ensureHome } from '../../src/runtime/private-dir.js';
import { createSpawner } from '../../src/runtime/spawner.js';
import { startProblem } from '../../src/runtime/start-check.js';
import { DEFAULT_SETTINGS } from '../../src/settings/types.js';
import { EventBus } from '../../src/supervisor/event-bus.js';
import type { Spawner } from '../../src/supervisor/ports.js';
import { Supervisor } from '../../src/supervisor/supervisor.js';
import { makeTmpHome } from './tmp-home.js';

/** One connection's view: its events, whether it closed, and requests on it. */
export interface InjectConnection {
  context: ConnectionContext;
  events: TendEvent[];
  /** The first event (already received or to come) matching pred; the timeout is a safety net. */
  until(pred: (e: TendEvent) => boolean, what: string, timeoutMs?: number): Promise<TendEvent>;
  /** Runs what the handlers registered with onClose (as a socket's close does). */
  close(): void;
  inject(body: unknown): Promise<ResponseFrame>;
  /** A typed call: resolves with the result, rejects with the wire error (as an Error with `code`). */
  call<M extends MethodName>(method: M, params?: ParamsIn<M>): Promise<Result<M>>;
}

export interface Injector {
  home: string;
  ctx: DaemonContext;
  /** Lines the daemon wrote to its log (daemon.log). */
  logLines: string[];
  /** What shutdown() was asked, in order (the process itself is not exited). */
  shutdowns: { reason: string; handover: StateFile | undefined }[];
  /** Successors prepared (daemon.update). */
  successors: number;
  /** Makes isShuttingDown() true (as the first shutdown does). */
  shuttingDown: boolean;
  /** A connection that already said hello (unless `greeted: false`). */
  connection(opts?: { greeted?: boolean; helloGate?: boolean }): InjectConnection;
  close(): Promise<void>;
}

let primed = false;

export function createInjector(opts: { spawner?: Spawner } = {}): Injector {
  if (!primed) {
    primeSchemaKinds();
    primed = true;
  }
  const tmp = makeTmpHome();
  const paths = homePaths(tmp.home);
  ensureHome(paths, { create: true, createLogs: true });
  const logLines: string[] = [];
  const log = (line: string) => void logLines.push(line);
  const bus = new EventBus();
  const logs = new LogService({ clock: realClock, log, rotated: (r) => bus.publish('log.rotated', r) });
  // As the daemon wires it: cluster-mode instances become workers of a primary, the rest plain children.
  const cluster = opts.spawner ? null : createClusterSpawner({ fork: createSpawner(), log });
  const supervisor = new Supervisor({
    clock: realClock,
    spawner: opts.spawner ?? (cluster as Spawner),
    sinks: logs,
    inspector: createInspector(),
    bus,
    home: paths.home,
    log,
    startCheck: startProblem,
  });
  const deps = new DependencyService({ supervisor, bus, clock: realClock, log });
  const snapshot = () =>
    snapshotApps(supervisor, Date.now(), { boot_id: 'test', clean: false, restore: false });
  const self: Injector = {
    home: tmp.home,
    logLines,
    shutdowns: [],
    successors: 0,
    shuttingDown: false,
    ctx: undefined as unknown as DaemonContext,
    connection(copts = {}) {
      const events: TendEvent[] = [];
      const closers: (() => void)[] = [];
      const waiters = new Set<(e: TendEvent) => void>();
      const context: ConnectionContext = {
        helloGate: copts.helloGate ?? true,
        greeted: copts.greeted ?? true,
        sendEvent: (e) => {
          events.push(e);
          for (const w of [...waiters]) w(e);
        },
        onClose: (fn) => void closers.push(fn),
        backlog: () => 0,
      };
      const rctx: RequestContext = { daemon: self.ctx, connection: context };
      let nextId = 1;
      const conn: InjectConnection = {
        context,
        events,
        until(pred, what, timeoutMs = 10_000) {
          const seen = events.find(pred);
          if (seen) return Promise.resolve(seen);
          return new Promise((resolve, reject) => {
            const w = (e: TendEvent) => {
              if (!pred(e)) return;
              waiters.delete(w);
              clearTimeout(timer);
              resolve(e);
            };
            const timer = setTimeout(() => {
              waiters.delete(w);
              reject(
                new Error(`timed out waiting for ${what}; saw ${events.map((e) => e.event).join(', ')}`),
              );
            }, timeoutMs);
            waiters.add(w);
          });
        },
        close: () => {
          for (const fn of closers.splice(0)) fn();
        },
        inject: (body) => dispatch(rctx, body),
        async call(method, params) {
          const reply = await dispatch(rctx, { id: nextId++, method, params: params ?? {} });
          if ('error' in reply)
            throw Object.assign(new Error(reply.error.message), {
              code: reply.error.code,
              data: reply.error.data,
            });
          return reply.result as never;
        },
      };
      return conn;
    },
    async close() {
      await deps.close();
      await self.ctx.web.close();
      await supervisor.close();
      await cluster?.close();
      await logs.close();
      tmp.remove();
    },
  };
  const persistence = createPersistence(
    snapshot,
    referenceSpec(paths.logDir),
    async () => {},
    () => {
      self.successors += 1;
    },
  );
  self.ctx = {
    supervisor,
    bus,
    deps,
    logs,
    paths,
    log,
    persistence,
    shutdown: (reason, handover) => {
      self.shutdowns.push({ reason, handover });
      self.shuttingDown = true;
    },
    isShuttingDown: () => self.shuttingDown,
    // issue 14: no settings file; `tend web` opens listeners as in a daemon (closed by close()).
    settings: DEFAULT_SETTINGS,
    web: createWebControl(DEFAULT_SETTINGS, log),
  };
  return self;
}

export const helloParams = { protocol: PROTOCOL_VERSION, client: 'inject-test' };
