// The port of tend-runtime's health listener in a container (a pod, a compose service): 9616, or the first
// port above it that the app does not use. One rule for k8s and compose, so both move it the same way.
import type { AppSpec } from '../config/spec.js';
import { HEALTH_PORT } from './model.js';

/**
 * 9616, or the first port above it that the app does not use (its known port, a numeric port it is probed
 * on): an app listening on 9616 would otherwise share it with the runtime (containerPort 9616 twice, and
 * one of the two listeners failing to bind).
 */
export function healthPort(app: AppSpec, port: number | null): number {
  const used = new Set<number>(port !== null ? [port] : []);
  for (const probe of [app.readiness_probe, app.liveness_probe, app.startup_probe]) {
    const h = probe?.handler;
    const p = h && 'http_get' in h ? h.http_get.port : h && 'tcp_socket' in h ? h.tcp_socket.port : null;
    if (typeof p === 'number') used.add(p);
  }
  let health = HEALTH_PORT;
  while (used.has(health)) health++;
  return health;
}

/**
 * healthPort, and the warning when it is not the default: `where` names what holds the listener (the pod,
 * the container).
 */
export function movedHealthPort(
  app: AppSpec,
  port: number | null,
  where: string,
  w: (field: string, message: string) => void,
): number {
  const health = healthPort(app, port);
  if (health !== HEALTH_PORT)
    w(
      'health listener',
      `the app uses port ${HEALTH_PORT}, tend-runtime's default: ${where}'s health listener (/readyz, /metrics) is on ${health}`,
    );
  return health;
}
