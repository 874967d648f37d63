// Prometheus metrics (issue 14): the daemon's own registry and the apps' metrics, merged per family.
// CONTRACT STUB written by the lead: the metrics helper replaces the implementation, keeping these names.
// Opened by the HTTP layer (src/http) only when a listener is configured: nothing here is loaded otherwise.
import type { DaemonContext } from '../daemon/context.js';

/** One exposition, ready to send. */
export interface Exposition {
  status: number;
  contentType: string;
  body: string;
}

export interface MetricsOptions {
  /** `metrics.rollup_only` in tend.config.yaml: per-app series only, no per-instance series. */
  rollupOnly: boolean;
}

export interface MetricsService {
  /** GET /metrics: text format 0.0.4, or OpenMetrics 1.0 when `accept` asks for it. */
  scrape(accept: string | undefined): Promise<Exposition>;
  /** GET /metrics/apps: every opted-in instance's own metrics (asked over IPC), labelled app/instance_id. */
  scrapeApps(accept: string | undefined): Promise<Exposition>;
  close(): void;
}

export function openMetrics(_daemon: DaemonContext, _options: MetricsOptions): MetricsService {
  const none = async (): Promise<Exposition> => ({
    status: 501,
    contentType: 'text/plain; charset=utf-8',
    body: 'metrics are not built yet\n',
  });
  return { scrape: none, scrapeApps: none, close() {} };
}
