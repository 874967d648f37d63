// The pod of one app, the same for a Deployment, a Job and a CronJob: one container running tend-runtime
// with exactly that app and one instance of it (`--only=<app> --no-deps --single-instance`, or `--instances 1`
// for a cluster service whose readiness needs its primary: podInstanceFlag), its probes, its
// environment (plain values, secret-looking ones from a Secret, env_file as a Secret through envFrom), the
// memory cap, the preStop drain and a non-root, read-only security context.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { AppSpec } from '../config/spec.js';
import { readyGate } from '../health/readiness.js';
import { TendError } from '../protocol/errors.js';
import { envFields, splitEnv } from './env.js';
import { movedHealthPort } from './health-port.js';
import { cwdInImage, sourceInImage } from './image-paths.js';
import { assertProbePortKnown, k8sProbe, probeSeconds } from './k8s-probes.js';
import { envNameProblem, secretKeyProblem } from './k8s-rules.js';
import { type ExportInput, RUNTIME_BIN } from './model.js';
import { shellWord } from './shell-words.js';
import { GRACE_SECONDS_MAX, graceClamped, runtimeArgs, runtimeGraceSeconds } from './shutdown.js';
import { atMost, GO_DURATION_SECONDS_MAX, K8S_INT32_MAX, memoryCapMiB } from './units.js';

/** Seconds the kubelet's preStop sleep holds the pod while endpoints are removed (no new traffic). */
export const PRE_STOP_SECONDS = 5;
/** lifecycle.preStop.sleep: alpha in Kubernetes 1.29, beta (on by default) in 1.30. */
export const PRE_STOP_SLEEP_SINCE = '1.30';
/** The image written when --image is not given: the .invalid domain never resolves, nothing is pulled. */
export const IMAGE_PLACEHOLDER = 'image.invalid/replace-me:latest';
/** The uid the pod runs as (the `node` user of the official Node images). */
export const RUN_AS_USER = 1000;

type Warn = (field: string, message: string) => void;

/**
 * The sources that gate an app's first ready (health/readiness.ts readySources) besides its probes, which
 * the kubelet cannot see: wait_ready's message (IPC, notify) and a ready_log_line. A startup probe is the
 * kubelet's startupProbe, before which it runs no readiness probe; a cluster worker listening is no source
 * in a pod that runs the app in fork mode whenever it has a probe (podInstanceFlag).
 */
export function gatesBesideProbes(app: AppSpec): string[] {
  return [
    ...(app.wait_ready ? ['wait_ready'] : []),
    ...(app.ready_log_line !== null ? ['ready_log_line'] : []),
  ];
}

/**
 * How a Deployment's pod runs its one instance, and how the kubelet learns that it is ready:
 * - `probe`: the app's readiness_probe, run by the kubelet (k8s-probes.ts), when it is the app's only
 *   readiness besides a startup probe;
 * - `runtime`: a readiness the kubelet cannot see (wait_ready, a ready_log_line, a startup probe, a cluster
 *   worker listening): tend-runtime's /readyz. A readiness probe together with wait_ready or a log line is
 *   this too: the kubelet running the app's probe alone marked the pod ready (and the Service sent it
 *   requests) before the app said it was (seventh audit); tend-runtime runs the app's probe as well, and
 *   its /readyz is 200 only when both passed;
 * - `port`: none of those, but the port is known (a Service is written): ready once the port accepts
 *   connections (tcpSocket). Without it the pod would be ready the moment it runs (Kubernetes' default,
 *   tend's `spawn` gate) and the Service would send requests to an app still booting. A cluster app's own
 *   gate (its worker listening) is that same signal, so its pod runs it in fork mode (--single-instance):
 *   a cluster primary for one worker would be one more Node process in every pod for nothing;
 * - `none`: nothing to wait on: ready once running (docs/export.md says how to give it one).
 * A cluster app whose port is not known keeps its gate: one worker under its primary (--instances 1).
 */
export function podReadiness(app: AppSpec, port: number | null): 'probe' | 'runtime' | 'port' | 'none' {
  if (app.readiness_probe !== null) return gatesBesideProbes(app).length > 0 ? 'runtime' : 'probe';
  const gate = readyGate(app);
  if (gate === 'spawn' || (gate === 'listening' && port !== null)) return port !== null ? 'port' : 'none';
  return 'runtime';
}

/**
 * The instance a pod runs: in fork mode, without a cluster primary (`--single-instance`), unless a service in
 * cluster mode has no other readiness than its worker listening and no port for the kubelet to check: one
 * worker under its primary then (`--instances 1`, which is PM2's `-i`: cluster mode). A Job's pod runs its
 * one-shot in fork mode always: nothing waits for it to listen.
 */
export function podInstanceFlag(app: AppSpec, port: number | null): '--single-instance' | '--instances 1' {
  return app.autorestart && app.exec_mode === 'cluster' && readyGate(app) === 'listening' && port === null
    ? '--instances 1'
    : '--single-instance';
}

/**
 * Kubernetes expands `$(VAR)` in a container's command and env values, and reads `$$` as one `$`: every
 * value taken from the ecosystem file is escaped so the app gets it as written.
 */
export const k8sLiteral = (value: string) => value.replaceAll('$', '$$$$');

/** What a pod is made from: the app, its objects' name, its known port, the export's input and warnings. */
export interface PodInput {
  app: AppSpec;
  name: string;
  port: number | null;
  input: ExportInput;
  w: Warn;
  /** Always: a Deployment's pod; Never: a Job's. */
  restartPolicy: 'Always' | 'Never';
}

export function podTemplate(pod: PodInput): IPodTemplateSpec {
  const { app, name, port, restartPolicy } = pod;
  // The runtime's health port, moved off one the app uses (warned once, here).
  const health = movedHealthPort(app, port, 'the pod', pod.w);
  if (graceClamped(app))
    pod.w(
      'kill_timeout',
      `terminationGracePeriodSeconds ${GO_DURATION_SECONDS_MAX}: the most the kubelet can wait (it holds the period as a Go duration, ~292 years); tend-runtime's --grace-period is ${GRACE_SECONDS_MAX}s`,
    );
  const labels = { 'app.kubernetes.io/name': name };
  return {
    metadata: {
      labels,
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(health),
        'prometheus.io/path': '/metrics',
      },
    },
    spec: {
      // A Job's pod ends with its app (tend-runtime exits with the app's code): never restarted in place.
      ...(restartPolicy === 'Never' ? { restartPolicy } : {}),
      automountServiceAccountToken: false,
      // No `<SERVICE>_PORT=tcp://…` variables for every Service of the namespace (Docker links' legacy): an
      // app's Service `db` would set DB_PORT in every pod, and `process.env.DB_PORT || 5432` would read it.
      // The pods find Services by DNS.
      enableServiceLinks: false,
      terminationGracePeriodSeconds: PRE_STOP_SECONDS + runtimeGraceSeconds(app) + 3,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: RUN_AS_USER,
        runAsGroup: RUN_AS_USER,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [container(pod, health)],
      // The root file system is read-only: /tmp is the one writable place (the app's and tend's).
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  };
}

/**
 * Every variable's name must be a Kubernetes env var name (the API server refuses the object otherwise), and
 * a secret-looking one's a Secret key too (its secretKeyRef.key, and the kubectl command the warning
 * suggests): refused before anything is written, naming the variable. Nothing is renamed: the app reads the
 * variable by its name.
 */
function assertEnvNames(
  app: AppSpec,
  name: string,
  plain: readonly string[],
  secret: readonly string[],
): void {
  for (const k of [...plain, ...secret].sort()) {
    const keyProblem = secret.includes(k) ? secretKeyProblem(k) : null;
    const problems = [
      envNameProblem(k),
      keyProblem && `as a variable that looks secret, ${keyProblem}: Secret ${name}-secrets cannot hold it`,
    ].filter((p) => p !== null);
    if (problems.length > 0)
      throw new TendError('TEND_ERR_EXPORT_UNSAFE_VALUE', {
        app: app.name,
        field: envFields([k]),
        problem: problems.join('; and '),
        fix: 'rename the variable in the ecosystem file (and in the app) to letters, digits and "_", not starting with a digit',
      });
  }
}

function container(pod: PodInput, health: number): IContainer {
  const { app, name, port, input, w, restartPolicy } = pod;
  const env = splitEnv(app);
  assertEnvNames(
    app,
    name,
    env.plain.map(([k]) => k),
    env.secret,
  );
  const vars: IEnvVar[] = env.plain.map(([k, v]) => ({ name: k, value: k8sLiteral(v) }));
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
      `referenced as Secret ${name}-env, never inlined (tend-runtime does not read the file: --no-env-file): kubectl create secret generic ${name}-env ${app.env_file.map((f) => shellWord(`--from-env-file=${f}`)).join(' ')}`,
    );
  const probe = (kind: 'startup' | 'readiness' | 'liveness') => {
    const spec = app[`${kind}_probe`];
    if (!spec) return undefined;
    assertProbePortKnown(app, spec, kind);
    return k8sProbe(app.name, spec, kind, (m) => w(`${kind}_probe`, m), cwdInImage(app, input));
  };
  // A Job's pod is never behind a Service: no readiness (podReadiness is a Deployment's).
  const ready = restartPolicy === 'Always' ? podReadiness(app, port) : 'none';
  const readiness =
    ready === 'probe'
      ? probe('readiness')
      : ready === 'runtime'
        ? runtimeReadiness(app, w)
        : ready === 'port'
          ? { tcpSocket: { port: 'http' }, periodSeconds: 5, failureThreshold: 3 }
          : undefined;

  const startup = probe('startup');
  const liveness = probe('liveness');
  const command = [
    RUNTIME_BIN,
    sourceInImage(input).path,
    // Kubernetes runs the instances (replicas, a Job's parallelism): one per pod. A one-shot's schedule is
    // its CronJob's (a Job without one runs once): the runtime does not re-run it.
    ...runtimeArgs(app, input.envName, {
      ...(podInstanceFlag(app, port) === '--single-instance'
        ? { singleInstance: true }
        : { instances: true }),
      cron: restartPolicy === 'Never',
    }),
    '--health-listen',
    `0.0.0.0:${health}`,
  ].map(k8sLiteral);
  return {
    name,
    image: input.image ?? IMAGE_PLACEHOLDER,
    command,
    ports: [
      ...(port !== null ? [{ name: 'http', containerPort: port }] : []),
      { name: 'health', containerPort: health },
    ],
    ...(vars.length > 0 ? { env: vars } : {}),
    ...(app.env_file.length > 0 ? { envFrom: [{ secretRef: { name: `${name}-env` } }] } : {}),
    ...(app.max_memory_restart > 0
      ? {
          resources: {
            limits: {
              memory: `${memoryCapMiB(app.max_memory_restart, 1, podInstanceFlag(app, port) === '--instances 1')}Mi`,
            },
          },
        }
      : {}),
    ...(startup ? { startupProbe: startup } : {}),
    ...(readiness ? { readinessProbe: readiness } : {}),
    ...(liveness ? { livenessProbe: liveness } : {}),
    // Endpoints are removed while SIGTERM is sent: the sleep lets load balancers stop sending first.
    // Kubernetes ≥ 1.30 (the header of k8s.yaml says so).
    lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

/**
 * The readinessProbe on tend-runtime's /readyz. For an app that also has a readiness probe (beside wait_ready
 * or a log line: podReadiness), the runtime runs that probe with its own timing and thresholds and /readyz
 * says the result: the kubelet asks as often as the app's probe runs, and believes the first answer
 * (failureThreshold 1), so the pod is unready as soon as tend says so, not three periods later.
 */
function runtimeReadiness(app: AppSpec, w: Warn): IProbe {
  const spec = app.readiness_probe;
  if (spec === null)
    return { httpGet: { path: '/readyz', port: 'health' }, periodSeconds: 5, failureThreshold: 3 };
  const gates = gatesBesideProbes(app);
  const said = gates.map((g) => (g === 'wait_ready' ? 'the app said ready' : 'its ready_log_line was seen'));
  w(
    'readiness_probe',
    `with ${gates.join(' and ')}: the readinessProbe is tend-runtime's /readyz on port health, ready once ${said.join(' and ')} and the probe passes (tend-runtime runs it, with its timing and thresholds); the kubelet running the probe itself would mark the pod ready, and send it requests, before that`,
  );
  const warn = (m: string) => w('readiness_probe', m);
  const periodSeconds = atMost(
    probeSeconds(spec.period_ms, 1, 'period_seconds', 'periodSeconds', warn),
    K8S_INT32_MAX,
    (max) => warn(`periodSeconds ${max}: the most Kubernetes takes (an int32)`),
  );
  return { httpGet: { path: '/readyz', port: 'health' }, periodSeconds, failureThreshold: 1 };
}
