/** What serve() needs of a registry: prom-client's Registry has it. */
export interface MetricsRegistry {
  getMetricsAsJSON(): Promise<unknown[]> | unknown[];
}
/**
 * Answers tend's metrics requests (GET /metrics/apps, with `metrics: true` in the app's config) with this
 * registry, or with the app's own prom-client global registry when none is given. Outside tend it does
 * nothing. Returns a function that stops answering.
 */
export declare function serve(register?: MetricsRegistry): () => void;
