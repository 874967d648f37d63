// The runtime's services as a DaemonContext: what the shared health endpoints (src/metrics) and, when the
// control socket is on, the daemon's own handlers read. What has no meaning without a daemon (save,
// resurrect, update, `tend web`) answers TEND_ERR_USAGE: the orchestrator owns the process list.

import type { AppSpec } from '../config/spec.js';
import type { DaemonContext } from '../daemon/context.js';
import type { Core } from '../daemon/core.js';
import type { WebControl } from '../daemon/http-control.js';
import type { Persistence } from '../daemon/persistence.js';
import type { LogBus } from '../logs/log-bus.js';
import type { LogService } from '../logs/log-service.js';
import { TendError } from '../protocol/errors.js';
import type { HomePaths } from '../protocol/home.js';
import { DEFAULT_SETTINGS } from '../settings/types.js';

const unavailable = (what: string) =>
  new TendError('TEND_ERR_USAGE', {
    detail: `${what} is not available in tend-runtime (the container's orchestrator owns the process list)`,
  });

export function runtimeContext(
  core: Core,
  opts: {
    paths: HomePaths;
    /** The live lines the stdout sinks publish (`tend logs` follows them; there are no files). */
    live: LogBus;
    log(line: string): void;
    shutdown(reason: string): void;
    isShuttingDown(): boolean;
    /** --no-auto-exit: the apps whose end would have ended the runtime (DaemonContext.heldEnds). */
    heldEnds(): ReadonlyMap<string, string>;
    /** An app started over the control socket, made as the runtime makes its own (DaemonContext.adopt). */
    adopt(spec: AppSpec): AppSpec;
    /** Whether app `name` is one of the file's, which /readyz and /startupz judge (DaemonContext.counts). */
    counts(name: string): boolean;
  },
): DaemonContext {
  const persistence: Persistence = {
    snapshot: () => {
      throw unavailable('tend save');
    },
    handover: () => Promise.reject(unavailable('tend update')),
    updating: false,
    prepareSuccessor: () => {
      throw unavailable('tend update');
    },
    reference: null as unknown as AppSpec,
    serial: () => Promise.reject(unavailable('tend resurrect')),
    // Nothing is saved in a container: the orchestrator holds the desired state.
    changed: async () => {},
    notices: [],
    takeNew: () => [],
  };
  const web: WebControl = {
    start: async () => {},
    web: () => Promise.reject(unavailable('tend web (use --health-listen)')),
    close: async () => {},
  };
  return {
    supervisor: core.supervisor,
    bus: core.bus,
    deps: core.deps,
    logs: noFiles(opts.live),
    paths: opts.paths,
    log: opts.log,
    shutdown: (reason) => opts.shutdown(reason),
    isShuttingDown: opts.isShuttingDown,
    role: 'runtime',
    heldEnds: opts.heldEnds,
    adopt: opts.adopt,
    counts: opts.counts,
    persistence,
    settings: DEFAULT_SETTINGS,
    web,
  };
}

/** The part of the daemon's LogService the handlers use, for output that has no files. */
function noFiles(bus: LogBus): LogService {
  const none: Pick<LogService, 'bus' | 'sink' | 'writersOf' | 'flush' | 'reopenAll' | 'settled' | 'close'> = {
    bus,
    sink: () => undefined,
    writersOf: () => [],
    flush: async () => [],
    reopenAll: async () => ({ recreated: [], files: [], failed: [] }),
    settled: async () => {},
    close: async () => {},
  };
  return none as LogService;
}
