// How long a target lets an app become ready before it counts the start as failed: one rule for systemd's
// TimeoutStartSec= and compose's healthcheck start_period, from tend's own (health/readiness.ts's
// readyBudget: a startup probe's budget, listen_timeout for a gate, none for a readiness probe alone), plus
// the time Node and tend-runtime take to start the app.
import type { AppSpec } from '../config/spec.js';
import { boundedReadyBudget } from '../health/readiness.js';

/** Node and tend-runtime starting, before the app's own budget begins. */
export const RUNTIME_START_SLACK_MS = 5000;

/**
 * The start budget in ms, always bounded (systemd's TimeoutStartSec=, compose's start_period): where tend
 * has no deadline, the readiness probe's first window (initial delay + period × failure threshold), after
 * which tend itself would report the app unready, not still starting. A bound, not tend's "wait as long as it takes": an
 * unbounded start held multi-user.target forever behind one probe that never passed (systemd.ts).
 */
export function boundedStartBudget(app: AppSpec): number {
  return boundedReadyBudget(app) + RUNTIME_START_SLACK_MS;
}
