// The daemon's own settings ($TEND_HOME/tend.config.yaml or .json), as the rest of the daemon sees them:
// validated and frozen at start (settings/load.ts). Everything is off when the file is absent.

/** `http`: the API listener (API, dashboard, /metrics with a read token). */
export interface HttpSettings {
  /** `host:port` (`[::1]:9615` for IPv6). */
  readonly listen: string;
  /** A non-loopback `listen` is refused without it. */
  readonly allow_remote: boolean;
  /** Extra `Host` header values the API accepts (a reverse proxy's name), beyond the listener's own. */
  readonly hosts: readonly string[];
}

/** `health`: /livez /readyz /startupz /metrics, no token (for Prometheus or a kubelet; may bind anywhere). */
export interface HealthSettings {
  readonly listen: string;
}

export interface DaemonSettings {
  readonly http: HttpSettings | null;
  readonly health: HealthSettings | null;
  readonly metrics: { readonly rollup_only: boolean };
  /** The `notify` hooks for every app (ALERTS validates them); null when absent. */
  readonly notify: unknown | null;
  /** The file they came from, or null: no settings file (every default). */
  readonly file: string | null;
}

export const DEFAULT_SETTINGS: DaemonSettings = Object.freeze({
  http: null,
  health: null,
  metrics: Object.freeze({ rollup_only: false }),
  notify: null,
  file: null,
});
