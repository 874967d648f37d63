// Fields every target handles the same way: what is lost or approximated, as warnings. Target-specific
// mappings (restart policies, dependencies, signals) warn in their own renderer.
import { defaultOf } from '../config/registry/index.js';
import { runtimeUnusedFields, type UnusedField } from '../config/runtime-unused.js';
import type { AppSpec } from '../config/spec.js';
import { LONE_SURROGATE, splitEnv } from './env.js';
import { RUN_AS_USER } from './k8s-pod.js';
import type { ExportTarget, ExportWarning } from './model.js';
import { storedUser } from './user.js';

const TARGET_NAME: Record<ExportTarget, string> = {
  systemd: 'systemd',
  k8s: 'Kubernetes',
  compose: 'compose',
};

/** What replaces a field tend-runtime does not use, in `target`. */
function unusedInstead(kind: UnusedField['kind'], target: ExportTarget): string {
  switch (kind) {
    case 'notify':
      return `tend-runtime sends no alerts (webhooks or commands); alert from ${
        target === 'systemd'
          ? "the unit's state (OnFailure=, or journal monitoring)"
          : target === 'k8s'
            ? "the cluster's monitoring (restarts, the /metrics on the health port)"
            : "Docker's events or your monitoring"
      }`;
    case 'dates':
      return `tend-runtime writes the app's lines as they are (${target === 'systemd' ? 'the journal' : 'the container runtime'} timestamps each line)`;
    case 'log_type':
      return "tend-runtime writes the app's lines as they are (its --log-format json wraps each in a JSON object)";
    case 'rotation':
      return `tend-runtime writes no log files to rotate (${target === 'systemd' ? "journald's own limits apply: SystemMaxUse= in journald.conf" : target === 'k8s' ? 'the kubelet rotates container logs: containerLogMaxSize, containerLogMaxFiles' : "set the logging driver's options: logging.options.max-size, max-file"})`;
    case 'files':
      return `tend-runtime writes the app's output to stdout/stderr (${
        target === 'systemd' ? 'the journal: journalctl -u <unit>' : 'the container log'
      })`;
  }
}

export function commonWarnings(app: AppSpec, target: ExportTarget, logDir: string): ExportWarning[] {
  const t = TARGET_NAME[target];
  const out: ExportWarning[] = [];
  const add = (field: string, message: string) => out.push({ app: app.name, field, message });
  // `--env NAME` where the app has no env_NAME: normalisation's note (as `tend start` prints it), said here.
  if (app.env_name !== null && app.notes.some((n) => n.includes(`: no env_${app.env_name} section;`)))
    add(
      '--env',
      `no env_${app.env_name} section; only env applies (tend-runtime --env=${app.env_name} reads the same file)`,
    );
  if (app.watch !== false)
    add('watch', `no equivalent in ${t}: a deployed service restarts on a new release, not on file changes`);
  // tend-runtime schedules cron_restart itself unless told --no-cron (only where the target runs the
  // schedule: a Kubernetes one-shot's CronJob, whose renderer drops this warning).
  if (app.cron_restart !== null)
    add(
      'cron_restart',
      target === 'k8s'
        ? 'kept by tend-runtime in each pod: every replica restarts at the same tick (for a staggered restart, a CronJob running "kubectl rollout restart"; not exported)'
        : `kept by tend-runtime in the ${target === 'systemd' ? 'unit' : 'container'}, which restarts the app on schedule (${target === 'systemd' ? 'no systemd timer is written' : `${t} has no scheduler`})`,
    );
  // systemd writes it as User= (systemd.ts); a container runs as its image's or pod's user.
  const user = storedUser(app);
  if (user !== null && target !== 'systemd')
    add(
      user.field,
      target === 'k8s'
        ? `not used: the pod runs as uid ${RUN_AS_USER} (securityContext.runAsUser)`
        : "not used: the container runs as the image's user (compose's user: to change it)",
    );
  // A lone surrogate reaches no process (its environment is UTF-8) and has no YAML spelling: splitEnv wrote
  // U+FFFD. Named by the variable and the code point, never the value (a plain one here, but still data).
  for (const name of splitEnv(app).replaced) {
    const value = app.app_env[name] as string;
    const at = LONE_SURROGATE.exec(value);
    const code = `U+${(at?.[0].charCodeAt(0) ?? 0).toString(16).toUpperCase()}`;
    add(
      `env.${name}`,
      `holds a lone UTF-16 surrogate (${code} at character ${(at?.index ?? 0) + 1}), which no environment carries (Node passes it to the app as UTF-8, where it becomes U+FFFD${target === 'systemd' ? '' : ', and kubectl and docker compose refuse its YAML escape'}): written as U+FFFD; write the character meant (a pair of surrogates, "\\ud83d\\ude00" for one emoji) or remove it`,
    );
  }
  // What tend-runtime has no use for (config/runtime-unused.ts, the rule the runtime's own start-up notes
  // follow), with what takes its place in this target.
  for (const u of runtimeUnusedFields(app, logDir))
    add(u.field, `not used: ${unusedInstead(u.kind, target)}`);
  return out;
}

/**
 * The fields of tend's restart policy an app sets (a delay, or a limit other than the default) that a target
 * without one loses (Kubernetes' CrashLoopBackOff, compose's restart: unless-stopped): warned only for an app
 * that restarts (a one-shot's have no effect in tend either).
 */
export function restartPolicyFields(app: AppSpec): string[] {
  if (!app.autorestart) return [];
  const fields: string[] = [];
  if (app.restart_delay > 0) fields.push('restart_delay');
  if (app.exp_backoff_restart_delay > 0) fields.push('exp_backoff_restart_delay');
  if (app.max_restarts !== defaultOf('max_restarts')) fields.push('max_restarts');
  if (app.min_uptime !== defaultOf('min_uptime')) fields.push('min_uptime');
  return fields;
}
