// Alerts and hooks (issue 14): the daemon's `notify` service. This file is all a daemon without `notify`
// loads of it: it watches the supervisor's apps, and only once one has `notify` (or the settings file has a
// global one) does it listen to the bus, classify events (classify.ts) and load the dispatcher, which brings
// node:http(s), node:crypto and the exec runner with it. Alerts classified while the dispatcher loads wait
// in a short queue. The hooks of an alert are read from the app's spec when its event arrives, so a
// `tend restart <file>` that changes `notify` applies from the next event on.
import os from 'node:os';
import type { AppSpec, NotifySpec } from '../config/spec.js';
import type { TendEvent } from '../protocol/events.js';
import type { EventBus } from '../supervisor/event-bus.js';
import type { Clock } from '../supervisor/ports.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import { VERSION } from '../version.js';
import { AlertClassifier, type InstanceView } from './classify.js';
import type { Dispatcher } from './dispatcher.js';
import type { Alert, AlertStat, DeliveryReport, HookSet } from './types.js';

export type { Alert, AlertStat, DeliveryReport } from './types.js';

export interface AlertsDeps {
  bus: EventBus;
  supervisor: Supervisor;
  clock: Clock;
  log(line: string): void;
  /** The settings file's `notify` (every app), validated by checkNotify; null: none. */
  globalNotify: NotifySpec | null;
  /** Where the global exec hooks run (the daemon's home); the process's cwd when not given. */
  home?: string;
  /** The `host` field of every alert; os.hostname() when not given. */
  host?: string;
  onDelivery?: (report: DeliveryReport) => void;
}

export interface Alerts {
  /** Whether some app or the settings file has `notify` (and so the service listens). */
  readonly enabled: boolean;
  /** Sent, failed and suppressed deliveries per app and kind of hook, since the daemon started. */
  stats(): AlertStat[];
  /** Resolves once nothing is being delivered (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Alerts waiting for the dispatcher to load, at most (a burst at start-up; the rest are dropped). */
const QUEUE_LIMIT = 200;

export function openAlerts(deps: AlertsDeps): Alerts {
  const { bus, supervisor, clock, log, globalNotify } = deps;
  let unsubscribe: (() => void) | null = null;
  let dispatcher: Dispatcher | null = null;
  let loading: Promise<void> | null = null;
  const queue: { alert: Alert; sets: HookSet[] }[] = [];
  const classifier = new AlertClassifier(
    (id) => viewOf(supervisor.instances().find((u) => u.id === id)),
    () => clock.now(),
  );

  const sets = (alert: Alert): HookSet[] => {
    const out: HookSet[] = [];
    const spec = supervisor.app(alert.app)?.spec;
    if (spec?.notify) out.push({ scope: 'app', notify: spec.notify, cwd: spec.cwd });
    if (globalNotify) out.push({ scope: 'global', notify: globalNotify, cwd: deps.home ?? process.cwd() });
    return out;
  };
  const onEvent = (e: TendEvent): void => {
    for (const alert of classifier.on(e)) {
      const to = sets(alert);
      if (to.length === 0) continue;
      if (dispatcher) dispatcher.send(alert, to);
      else if (queue.length < QUEUE_LIMIT) queue.push({ alert, sets: to });
      else
        log(`alerts: ${alert.app}[${alert.id}] ${alert.event} dropped: the alerts service is still loading`);
    }
  };
  const enable = (why: string): void => {
    if (unsubscribe) return;
    unsubscribe = bus.subscribe(onEvent);
    log(`alerts: notify hooks on (${why})`);
    loading = (async () => {
      const { createDispatcher } = await import('./dispatcher.js');
      dispatcher = createDispatcher({
        clock,
        log,
        host: deps.host ?? os.hostname(),
        version: VERSION,
        onDelivery: deps.onDelivery,
      });
      for (const { alert, sets: to } of queue.splice(0)) dispatcher.send(alert, to);
    })().catch((err: unknown) => log(`alerts: cannot load the alerts service: ${String(err)}`));
  };
  const check = (spec: AppSpec | undefined): void => {
    if (spec?.notify) enable(`app ${spec.name}`);
  };

  if (globalNotify) enable('the settings file');
  for (const app of supervisor.apps()) check(app.spec);
  const unobserve = supervisor.observe((name) => check(supervisor.app(name)?.spec));

  return {
    get enabled() {
      return unsubscribe !== null;
    },
    stats: () => dispatcher?.stats() ?? [],
    async idle() {
      await loading;
      await dispatcher?.idle();
    },
    async close() {
      unobserve();
      unsubscribe?.();
      await loading;
      await dispatcher?.close();
    },
  };
}

/** What the classifier reads of a unit, read when asked (the unit's state at that moment). */
function viewOf(u: ProcessUnit | undefined): InstanceView | undefined {
  if (!u) return undefined;
  return {
    name: u.name,
    namespace: u.spec.namespace,
    instance: u.instance,
    status: u.status,
    spec: u.spec,
    failure: () => u.health.failure,
    probeText: () => {
      const p = u.health.lastProbe;
      if (!p || p.ok) return null;
      const said = p.error ?? p.output.trim().split('\n')[0] ?? '';
      return `${p.kind} probe: ${said === '' ? 'failed' : said.slice(0, 200)}`;
    },
    stderr: () => u.recentStderr(),
  };
}
