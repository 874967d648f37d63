// `tend export k8s`: a Deployment per app (and a Service when its port is known), one app × one instance
// per pod under tend-runtime: replicas replace instances and cluster mode, the kubelet runs the app's
// probes, the runtime's health listener serves /readyz and /metrics on port 9616. Typed with the
// kubernetes-models interfaces (type-only imports: nothing of that package is loaded at run time), so an
// unknown or misspelt field is a compile error, which the models' own validate() would not catch.
import { basename } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IService } from 'kubernetes-models/v1/Service';
import { defaultOf } from '../config/registry/index.js';
import type { AppSpec } from '../config/spec.js';
import { readyGate } from '../health/readiness.js';
import { commonWarnings } from './common-warnings.js';
import { knownPort, splitEnv } from './env.js';
import { k8sProbe } from './k8s-probes.js';
import { type ExportInput, type ExportWarning, HEALTH_PORT, RUNTIME_BIN } from './model.js';
import { runtimeArgs, runtimeGraceSeconds } from './shutdown.js';
import { memoryCapMiB, targetName } from './units.js';

/** Seconds the kubelet's preStop sleep holds the pod while endpoints are removed (no new traffic). */
export const PRE_STOP_SECONDS = 5;
/** The image written when --image is not given: the .invalid domain never resolves, nothing is pulled. */
export const IMAGE_PLACEHOLDER = 'image.invalid/replace-me:latest';
/** The uid the pod runs as (the `node` user of the official Node images). */
export const RUN_AS_USER = 1000;

export type K8sObject = IDeployment | IService;

export function k8sName(app: string): string {
  return targetName(app, /[a-z0-9-]/, { lower: true, max: 63 }).name;
}

export function k8sObjects(input: ExportInput): { objects: K8sObject[]; warnings: ExportWarning[] } {
  const warnings: ExportWarning[] = [];
  const objects: K8sObject[] = [];
  if (input.image === null)
    warnings.push({
      app: '*',
      field: '--image',
      message: `not given: the Deployments use the placeholder ${IMAGE_PLACEHOLDER}; pass --image registry/app:tag`,
    });
  for (const app of input.apps) {
    const w = (field: string, message: string) => warnings.push({ app: app.name, field, message });
    warnings.push(...commonWarnings(app, 'k8s', input.logDir));
    const name = k8sName(app.name);
    if (name !== app.name) w('name', `not a valid Kubernetes name: the objects are named ${name}`);
    const port = knownPort(app);
    objects.push(deployment(app, name, port, input, w));
    if (port !== null) objects.push(service(name, port));
  }
  return { objects, warnings };
}

type Warn = (field: string, message: string) => void;

function deployment(
  app: AppSpec,
  name: string,
  port: number | null,
  input: ExportInput,
  w: Warn,
): IDeployment {
  const labels = { 'app.kubernetes.io/name': name };
  if (app.instances > 1)
    w(
      app.exec_mode === 'cluster' ? 'exec_mode' : 'instances',
      `${app.exec_mode === 'cluster' ? 'cluster mode' : `instances: ${app.instances}`} → replicas: ${app.instances}, one instance per pod; set instances: 1 for ${app.name} in the file the image holds, or each pod runs ${app.instances}`,
    );
  if (!app.autorestart)
    w('autorestart', 'false: a Deployment always restarts its pods (a one-shot app is a Job; not exported)');
  if (app.stop_exit_codes.length > 0)
    w('stop_exit_codes', 'no equivalent in Kubernetes: a Deployment restarts after any exit');
  if (app.restart_delay > 0 || app.max_restarts !== defaultOf('max_restarts'))
    w(
      'restart_delay, max_restarts',
      "not exported: the kubelet's CrashLoopBackOff (10 s doubling to 5 min) applies",
    );
  for (const d of app.depends_on)
    w(
      `depends_on.${d.name}`,
      'no equivalent in Kubernetes: pods start in any order; the app must retry its dependencies (docs/kubernetes.md)',
    );
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: app.instances,
      selector: { matchLabels: labels },
      ...(app.min_ready_ms > 0 ? { minReadySeconds: Math.ceil(app.min_ready_ms / 1000) } : {}),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: app.max_surge, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels,
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(HEALTH_PORT),
            'prometheus.io/path': '/metrics',
          },
        },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: PRE_STOP_SECONDS + runtimeGraceSeconds(app) + 3,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS_USER,
            runAsGroup: RUN_AS_USER,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [container(app, name, port, input, w)],
          // The root file system is read-only: /tmp is the one writable place (the app's and tend's).
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

function container(app: AppSpec, name: string, port: number | null, input: ExportInput, w: Warn): IContainer {
  const env = splitEnv(app);
  const vars: IEnvVar[] = env.plain.map(([k, v]) => ({ name: k, value: v }));
  for (const k of env.secret)
    vars.push({ name: k, valueFrom: { secretKeyRef: { name: `${name}-secrets`, key: k } } });
  vars.sort((a, b) => (a.name < b.name ? -1 : 1));
  if (env.secret.length > 0)
    w(
      `env.${env.secret.join(', env.')}`,
      `looks secret: not written; read from Secret ${name}-secrets (kubectl create secret generic ${name}-secrets ${env.secret.map((k) => `--from-literal=${k}=…`).join(' ')})`,
    );
  if (app.env_file.length > 0)
    w(
      'env_file',
      `referenced as Secret ${name}-env, never inlined: kubectl create secret generic ${name}-env ${app.env_file.map((f) => `--from-env-file=${f}`).join(' ')}`,
    );
  const probe = (kind: 'startup' | 'readiness' | 'liveness') => {
    const spec = app[`${kind}_probe`];
    return spec ? k8sProbe(spec, kind, (m) => w(`${kind}_probe`, m)) : undefined;
  };
  const readiness =
    probe('readiness') ??
    // Readiness the kubelet cannot see (wait_ready, a log line, a cluster worker listening): the runtime's.
    (readyGate(app) !== 'spawn'
      ? { httpGet: { path: `/readyz`, port: 'health' }, periodSeconds: 5, failureThreshold: 3 }
      : undefined);
  const startup = probe('startup');
  const liveness = probe('liveness');
  const command = [
    RUNTIME_BIN,
    basename(input.source),
    ...runtimeArgs(app, input.envName),
    '--health-listen',
    `0.0.0.0:${HEALTH_PORT}`,
  ];
  return {
    name,
    image: input.image ?? IMAGE_PLACEHOLDER,
    command,
    ports: [
      ...(port !== null ? [{ name: 'http', containerPort: port }] : []),
      { name: 'health', containerPort: HEALTH_PORT },
    ],
    ...(vars.length > 0 ? { env: vars } : {}),
    ...(app.env_file.length > 0 ? { envFrom: [{ secretRef: { name: `${name}-env` } }] } : {}),
    ...(app.max_memory_restart > 0
      ? { resources: { limits: { memory: `${memoryCapMiB(app.max_memory_restart, 1)}Mi` } } }
      : {}),
    ...(startup ? { startupProbe: startup } : {}),
    ...(readiness ? { readinessProbe: readiness } : {}),
    ...(liveness ? { livenessProbe: liveness } : {}),
    // Endpoints are removed while SIGTERM is sent: the sleep lets load balancers stop sending first.
    lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
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
