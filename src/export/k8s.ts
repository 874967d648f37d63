// `tend export k8s`: a Deployment per app (and a Service when its port is known), one app × one instance
// per pod under tend-runtime: replicas replace instances and cluster mode, the kubelet runs the app's
// probes, the runtime's health listener serves /readyz and /metrics on port 9616. A one-shot app
// (`autorestart: false`) is a Job, a CronJob when cron_restart re-runs it (k8s-jobs.ts). Typed with the
// kubernetes-models interfaces (type-only imports: nothing of that package is loaded at run time), so an
// unknown or misspelt field is a compile error, which the models' own validate() would not catch.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IService } from 'kubernetes-models/v1/Service';
import type { AppSpec } from '../config/spec.js';
import { commonWarnings, restartPolicyFields } from './common-warnings.js';
import { badPort, knownPort } from './env.js';
import { hostPathWarnings, sourceInImage } from './image-paths.js';
import { JOB_RETRIES_WITH_DEPENDENCIES, oneShot } from './k8s-jobs.js';
import { IMAGE_PLACEHOLDER, podInstanceFlag, podReadiness, podTemplate, RUN_AS_USER } from './k8s-pod.js';
import type { ExportInput, ExportWarning } from './model.js';
import { atMost, K8S_INT32_MAX, seconds, targetName } from './units.js';

export { IMAGE_PLACEHOLDER, PRE_STOP_SECONDS, PRE_STOP_SLEEP_SINCE, RUN_AS_USER } from './k8s-pod.js';

export type K8sObject = IDeployment | IService | IJob | ICronJob;

/**
 * The name of every object of an app: a DNS-1123 label, and one that starts with a letter, which a Service's
 * name must (DNS-1035): `2fa` becomes `app-2fa` for all its objects, so they keep one name.
 */
export function k8sName(app: string): string {
  const { name } = targetName(app, /[a-z0-9-]/, { lower: true, max: 63 });
  return /^[a-z]/.test(name) ? name : targetName(`app-${name}`, /[a-z0-9-]/, { max: 63 }).name;
}

export function k8sObjects(input: ExportInput): { objects: K8sObject[]; warnings: ExportWarning[] } {
  const warnings: ExportWarning[] = [];
  const objects: K8sObject[] = [];
  if (input.image === null)
    warnings.push({
      app: '*',
      field: '--image',
      message: `not given: the workloads use the placeholder ${IMAGE_PLACEHOLDER}; pass --image registry/app:tag`,
    });
  const where = sourceInImage(input).warning;
  if (where) warnings.push(where);
  for (const app of input.apps) {
    const w = (field: string, message: string) => warnings.push({ app: app.name, field, message });
    // A one-shot's cron_restart is its CronJob's schedule: not a field lost.
    warnings.push(
      ...commonWarnings(app, 'k8s', input.logDir).filter(
        (x) => app.autorestart || x.field !== 'cron_restart',
      ),
    );
    warnings.push(...hostPathWarnings(app, input));
    const name = k8sName(app.name);
    if (name !== app.name) w('name', `not a valid Kubernetes name: the objects are named ${name}`);
    const port = knownPort(app);
    const bad = badPort(app);
    if (bad !== null)
      w(
        'env.PORT',
        `${JSON.stringify(bad)} is no TCP port (1-65535): no http port, Service or tcpSocket readiness probe is written for it`,
      );
    // The pod runs as a user (securityContext.runAsUser) with every capability dropped: a port below 1024
    // binds only where the node lowers net.ipv4.ip_unprivileged_port_start (tenth audit: EACCES on port 80).
    if (port !== null && port < 1024)
      w(
        'env.PORT',
        `${port} is a privileged port: the pod runs as uid ${RUN_AS_USER} without capabilities, so the app cannot bind it unless the nodes' container runtime lowers net.ipv4.ip_unprivileged_port_start (containerd 2 and Docker 20.10 do, older ones do not); give the app a port of 1024 or more (its Service can still expose ${port})`,
      );
    instanceWarnings(app, port, input, w);
    for (const d of app.depends_on)
      w(
        `depends_on.${d.name}`,
        app.autorestart
          ? 'no equivalent in Kubernetes: pods start in any order; the app must retry its dependencies (docs/kubernetes.md)'
          : `no equivalent in Kubernetes: pods start in any order, so the Job does not wait for ${d.name}; it retries the one-shot instead (backoffLimit: ${JOB_RETRIES_WITH_DEPENDENCIES}, Kubernetes' default; a failed pod is retried after 10 s, doubling up to 6 min), where tend runs it once, after ${d.name}: the one-shot must be safe to run again (docs/kubernetes.md)`,
      );
    if (!app.autorestart) {
      // A Job is not a server: no Service in front of it.
      objects.push(oneShot(app, name, port, input, w));
      continue;
    }
    if (port === null && bad === null && app.env_file.length > 0) noPortWarning(app, input, w);
    objects.push(deployment(app, name, port, input, w));
    if (port !== null) objects.push(service(name, port));
  }
  return { objects, warnings };
}

type Warn = (field: string, message: string) => void;

/**
 * A service with env_file(s) and no port known: its PORT is likely in the file (the usual `.env`), which
 * the export never reads (its values go to a Secret, and tend-runtime reads none). Without a port there is
 * no Service and, unless something else says ready, no readinessProbe: the pod is ready the moment it runs
 * and nothing can reach it (seventh audit: silent).
 */
function noPortWarning(app: AppSpec, input: ExportInput, w: Warn): void {
  const where = input.envName !== null ? `env or env_${input.envName}` : 'env';
  const lost = podReadiness(app, null) === 'none' ? 'no Service and no readinessProbe' : 'no Service';
  w(
    'port',
    `no port known (no port:, no PORT in ${where}); env_file is read only at run time: ${lost} written; set \`port:\` (or PORT in ${where})`,
  );
}

function instanceWarnings(app: AppSpec, port: number | null, input: ExportInput, w: Warn): void {
  const field = app.exec_mode === 'cluster' ? 'exec_mode' : 'instances';
  const scale = app.autorestart ? 'replicas' : 'parallelism';
  // Each pod runs one instance (k8s-pod.ts): the count is the target's.
  const flag = podInstanceFlag(app, port);
  const perPod = `one instance per pod (tend-runtime ${flag}${flag === '--single-instance' && app.exec_mode === 'cluster' ? ': fork mode, no cluster primary' : ''})`;
  if (input.cpuRelative.includes(app.name))
    w(
      field,
      `instances follow the CPUs: ${scale}: 1 here, whatever machine exports, ${perPod}; scale with ${scale}${app.autorestart ? ' or a HorizontalPodAutoscaler' : ''}`,
    );
  else if (app.instances > 1 || app.exec_mode === 'cluster')
    w(
      field,
      `${app.exec_mode === 'cluster' ? 'cluster mode' : `instances: ${app.instances}`} → ${scale}: ${app.instances}, ${perPod}`,
    );
  if (app.instances <= 1 && !input.cpuRelative.includes(app.name)) return;
  // Several pods of one instance each: none of them is numbered (the ninth audit: `instance_var` and
  // `increment_var` changed meaning without a word).
  const pods = app.autorestart ? 'pod' : "Job's pod";
  w(
    'instance_var',
    `every ${pods} is instance 0 (${app.instance_var}=0): the ${scale} are not numbered, so code that runs only on instance 0 (PM2's habit for scheduled work) runs in every ${pods}; make such work an app of its own (a one-shot with cron_restart is a CronJob)`,
  );
  if (app.increment_var !== null)
    w(
      'increment_var',
      `every ${pods} gets ${app.increment_var} as the file has it, not increased per instance: pods have an address each${app.autorestart && port !== null ? ' and the Service balances them' : ''}`,
    );
}

function deployment(
  app: AppSpec,
  name: string,
  port: number | null,
  input: ExportInput,
  w: Warn,
): IDeployment {
  const labels = { 'app.kubernetes.io/name': name };
  if (app.stop_exit_codes.length > 0)
    w('stop_exit_codes', 'no equivalent in Kubernetes: a Deployment restarts after any exit');
  const restartFields = restartPolicyFields(app);
  if (restartFields.length > 0)
    w(
      restartFields.join(', '),
      "not exported: the kubelet's CrashLoopBackOff (10 s doubling to 5 min) applies, and it never gives up",
    );
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: app.instances,
      selector: { matchLabels: labels },
      ...(app.min_ready_ms > 0 ? { minReadySeconds: minReadySeconds(app, w) } : {}),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: app.max_surge, maxUnavailable: 0 } },
      template: podTemplate({ app, name, port, input, w, restartPolicy: 'Always' }),
    },
  };
}

function service(name: string, port: number): IService {
  const labels = { 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels },
    spec: {
      type: 'ClusterIP',
      selector: labels,
      ports: [{ name: 'http', port, targetPort: 'http' }],
    },
  };
}

/** minReadySeconds: an int32, so at most K8S_INT32_MAX (warned). */
function minReadySeconds(app: AppSpec, w: Warn): number {
  return atMost(seconds(app.min_ready_ms), K8S_INT32_MAX, (max) =>
    w('min_ready_seconds', `minReadySeconds ${max}: the most Kubernetes takes (an int32)`),
  );
}
