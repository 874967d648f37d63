// Two apps whose names differ only in characters the target does not take become one name there (`a.b`,
// `a-b` and `A_B` are all Deployment `a-b`; `web@1` and `web-1` both `web-1.service`): the second file or
// object would silently replace the first. Refused, coded, before anything is written.
import type { AppSpec } from '../config/spec.js';
import { TendError } from '../protocol/errors.js';
import { serviceName } from './compose.js';
import { k8sName } from './k8s.js';
import type { ExportTarget } from './model.js';
import { unitName } from './systemd.js';

const NAME_OF: Record<ExportTarget, [string, (app: string) => string]> = {
  systemd: ['unit', (a) => `${unitName(a)}.service`],
  k8s: ['Kubernetes', k8sName],
  compose: ['compose service', serviceName],
};

/** Throws TEND_ERR_EXPORT_NAME_CLASH for the first two apps that share a name in the target. */
export function assertDistinctNames(target: ExportTarget, apps: readonly AppSpec[]): void {
  const [kind, nameOf] = NAME_OF[target];
  const seen = new Map<string, string>();
  for (const app of apps) {
    const name = nameOf(app.name);
    const first = seen.get(name);
    if (first !== undefined)
      throw new TendError('TEND_ERR_EXPORT_NAME_CLASH', { target: kind, first, second: app.name, name });
    seen.set(name, app.name);
  }
}
