// Prometheus metrics (issue 14): tend's own families built from the supervisor at each scrape (written as
// text by text-format.ts), the daemon's process_* and nodejs_* from prom-client, and the apps' own metrics
// asked over IPC (app-metrics.ts).
// Opened by the HTTP layer (src/http) only when a listener is configured: nothing here is loaded otherwise.
// No timer runs for the metrics: everything is read when a scrape asks (docs/metrics.md).
import type { Registry } from 'prom-client';
import type { DaemonContext } from '../daemon/context.js';
import { monotonicMs } from '../runtime/utc-time.js';
import { scrapeApps } from './app-metrics.js';
import { render, wantsOpenMetrics } from './exposition.js';
import type { Family } from './family.js';
import { createUsageReader } from './proc-usage.js';
import { promClient } from './prom-client.js';
import { tendFamilies } from './tend-families.js';
import { renderFamilies } from './text-format.js';

/** One exposition, ready to send. */
export interface Exposition {
  status: number;
  contentType: string;
  body: string;
}

export interface MetricsOptions {
  /** `metrics.rollup_only` in tend.config.yaml: per-app series only, no per-instance series. */
  rollupOnly: boolean;
  /** How long /metrics/apps waits for each instance's answer (ms); default 1000. */
  appTimeoutMs?: number;
  /** How long a /metrics render is reused (ms); default SCRAPE_REUSE_MS; 0: every scrape renders (the bench). */
  reuseMs?: number;
}

export interface MetricsService {
  /** GET /metrics: text format 0.0.4, or OpenMetrics 1.0 when `accept` asks for it. */
  scrape(accept: string | undefined): Promise<Exposition>;
  /** GET /metrics/apps: every opted-in instance's own metrics (asked over IPC), labelled app/instance_id. */
  scrapeApps(accept: string | undefined): Promise<Exposition>;
  close(): void;
}

export const APP_TIMEOUT_MS = 1000;

/**
 * A /metrics answer is served again, without rendering, for this long, unless the supervisor published an
 * event since (a state change, a restart: what a scrape must see at once); concurrent scrapes share one
 * render. Rendering costs ~1.5 ms of the loop that also answers the probes, and the health listener has no
 * token: a flood of scrapes (fifth audit: 8000 pipelined from one client) kept /readyz unanswered for 6 s
 * and doubled the runtime's RSS. Prometheus scrapes every 15 s or more, so nobody loses a sample.
 */
export const SCRAPE_REUSE_MS = 1000;

export function openMetrics(daemon: DaemonContext, options: MetricsOptions): MetricsService {
  const usage = createUsageReader();
  const self = daemonRegistry();
  /** Instances that did not answer /metrics/apps, by app (tend_app_metrics_scrape_errors_total). */
  const scrapeErrors = new Map<string, number>();
  const timeoutMs = options.appTimeoutMs ?? APP_TIMEOUT_MS;
  /** The last render of each format (text, OpenMetrics), and when it began; dropped by any event. */
  const recent = new Map<boolean, { at: number; body: Promise<Exposition> }>();
  const reuseMs = options.reuseMs ?? SCRAPE_REUSE_MS;
  const unsubscribe = daemon.bus.subscribe(() => recent.clear());
  const renderNow = async (openMetrics: boolean): Promise<Exposition> => {
    for (const name of scrapeErrors.keys()) if (!daemon.supervisor.app(name)) scrapeErrors.delete(name);
    const own = tendFamilies(daemon.supervisor, {
      rollupOnly: options.rollupOnly,
      usage,
      scrapeErrors,
      notifications: daemon.alerts?.stats() ?? [],
    });
    const process = (await self.getMetricsAsJSON()) as unknown as Family[];
    // tend's families by text-format.ts, then the daemon's own by prom-client: one exposition.
    const rest = await render(process, openMetrics);
    return { ...rest, body: renderFamilies(own, openMetrics, rest.body) };
  };
  return {
    scrape(accept) {
      const openMetrics = wantsOpenMetrics(accept);
      const now = monotonicMs();
      const last = recent.get(openMetrics);
      if (last !== undefined && now - last.at < reuseMs) return last.body;
      const body = renderNow(openMetrics);
      recent.set(openMetrics, { at: now, body });
      // A failed render is not kept.
      body.catch(() => {
        if (recent.get(openMetrics)?.body === body) recent.delete(openMetrics);
      });
      return body;
    },
    async scrapeApps(accept) {
      const { families, failed } = await scrapeApps(daemon.supervisor, timeoutMs);
      for (const app of failed) scrapeErrors.set(app, (scrapeErrors.get(app) ?? 0) + 1);
      // tend_app_metrics_scrape_errors_total moved: the next /metrics renders it.
      if (failed.length > 0) recent.clear();
      return render(families, wantsOpenMetrics(accept));
    },
    close() {
      unsubscribe();
      recent.clear();
      scrapeErrors.clear();
    },
  };
}

/**
 * Families of prom-client's default metrics left out: the event loop delay histogram's gauges (their monitor
 * wakes the daemon every 10 ms: ~1% of a core on an idle daemon, measured; `nodejs_eventloop_lag_seconds`,
 * measured at scrape time, stays), and three gauges named `_total` that `promtool check metrics` rejects
 * (`nodejs_active_{handles,requests,resources}` by type give the same numbers).
 */
const LEFT_OUT = [
  ...['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'].map((s) => `nodejs_eventloop_lag_${s}_seconds`),
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

let registry: Registry | null = null;

/**
 * The daemon's process_* and nodejs_* (prom-client's default metrics): one registry for the daemon's life,
 * created at the first openMetrics (its GC observer cannot be removed, so it is never created twice).
 */
function daemonRegistry(): Registry {
  if (registry !== null) return registry;
  const { Registry, collectDefaultMetrics } = promClient();
  const r = new Registry();
  // The delay monitor cannot be turned off, only slowed: at 2^31-1 ms it never wakes the daemon.
  collectDefaultMetrics({ register: r, eventLoopMonitoringPrecision: 2 ** 31 - 1 });
  for (const name of LEFT_OUT) r.removeSingleMetric(name);
  registry = r;
  return r;
}
