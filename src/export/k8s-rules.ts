// What the Kubernetes API server checks and the kubernetes-models schemas do not (their validate() checks
// types and required fields, not names or references): used by `--check`, so a hand-edited file, or a bug
// of the renderer, is caught before `kubectl apply` refuses it or, worse, accepts a pod that never becomes
// ready (a probe on a port name the container does not have).
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';

/** DNS-1123 label: what a container's name and most objects' names must be. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1035 label: a Service's name (it becomes a DNS name: no leading digit). */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A CronJob's name: the controller appends 11 characters to name its Jobs, which must stay labels (63). */
export const CRONJOB_NAME_MAX = 52;
/**
 * An environment variable's name as the API server of Kubernetes 1.30 and 1.31 takes it (IsEnvVarName; the
 * RelaxedEnvironmentVariableValidation gate, which accepts more, is off by default before 1.32).
 */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** A Secret's (or ConfigMap's) key (IsConfigMapKey): at most 253 of these characters, not "." or "..". */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Why `name` cannot be a container's env[].name, or null. */
export function envNameProblem(name: string): string | null {
  return ENV_VAR_NAME.test(name)
    ? null
    : `${JSON.stringify(name)} is not a Kubernetes environment variable name (letters, digits, "_", "-" and ".", not starting with a digit), which the API server of Kubernetes 1.30 and 1.31 refuses`;
}

/** Why `key` cannot be a key of a Secret (secretKeyRef.key, kubectl's --from-literal), or null. */
export function secretKeyProblem(key: string): string | null {
  return SECRET_KEY.test(key) && key.length <= 253 && key !== '.' && key !== '..'
    ? null
    : `${JSON.stringify(key)} is not a Secret key (at most 253 letters, digits, "_", "-" and ".", not "." or "..")`;
}

/** Why `name` is not a `kind`'s name, or null. */
export function objectNameProblem(kind: string, name: string): string | null {
  if (kind === 'Service')
    return name.length <= 63 && DNS1035_LABEL.test(name)
      ? null
      : `name "${name}" is not a DNS-1035 label (lowercase letters, digits and "-", starting with a letter, at most 63 characters)`;
  // A Job's name is also a label value (batch.kubernetes.io/job-name), as a CronJob's Jobs' names are.
  const max = kind === 'CronJob' ? CRONJOB_NAME_MAX : kind === 'Job' ? 63 : 253;
  if (name.length > max) return `name "${name}" is ${name.length} characters; a ${kind}'s is at most ${max}`;
  if (!DNS1123_SUBDOMAIN.test(name))
    return `name "${name}" is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")`;
  return null;
}

/** A container port's name (IANA_SVC_NAME): at most 15 characters, a letter among them, no "--". */
function portNameProblem(name: string): string | null {
  return name.length <= 15 && DNS1123_LABEL.test(name) && /[a-z]/.test(name) && !name.includes('--')
    ? null
    : `port name "${name}" is not an IANA service name (at most 15 lowercase letters, digits and "-", one letter at least)`;
}

function containerFindings(c: IContainer): string[] {
  const out: string[] = [];
  const where = `container ${c.name}`;
  if (!(c.name.length <= 63 && DNS1123_LABEL.test(c.name)))
    out.push(`container name "${c.name}" is not a DNS-1123 label`);
  const names = new Set<string>();
  const numbers = new Set<number>();
  for (const p of c.ports ?? []) {
    if (numbers.has(p.containerPort))
      out.push(`${where}: containerPort ${p.containerPort} is declared twice`);
    numbers.add(p.containerPort);
    if (p.name === undefined) continue;
    const problem = portNameProblem(p.name);
    if (problem) out.push(`${where}: ${problem}`);
    if (names.has(p.name)) out.push(`${where}: port name "${p.name}" is declared twice`);
    names.add(p.name);
  }
  for (const v of c.env ?? []) {
    const problem = envNameProblem(v.name);
    if (problem) out.push(`${where}: env ${problem}`);
    const key = v.valueFrom?.secretKeyRef?.key;
    const keyProblem = key === undefined ? null : secretKeyProblem(key);
    if (keyProblem) out.push(`${where}: env ${v.name}: secretKeyRef.key ${keyProblem}`);
  }
  for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
    const probe = c[kind];
    const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
    // A named port the container does not have: the probe fails forever (the pod is never ready).
    if (typeof port === 'string' && !names.has(port))
      out.push(`${where}: ${kind} uses port "${port}", which is not among the container's ports`);
  }
  return out;
}

function podSpecOf(obj: Record<string, unknown>): IPodSpec | undefined {
  const spec = obj.spec as Record<string, unknown> | undefined;
  if (obj.kind === 'CronJob')
    return (spec?.jobTemplate as { spec?: { template?: { spec?: IPodSpec } } } | undefined)?.spec?.template
      ?.spec;
  return (spec?.template as { spec?: IPodSpec } | undefined)?.spec;
}

/** The API server's rules the schemas miss, for one object: names, port names, probes' named ports. */
export function apiRuleFindings(obj: { kind?: string; metadata?: { name?: string } }): string[] {
  const out: string[] = [];
  const name = obj.metadata?.name;
  if (obj.kind && typeof name === 'string') {
    const problem = objectNameProblem(obj.kind, name);
    if (problem) out.push(problem);
  }
  for (const c of podSpecOf(obj as Record<string, unknown>)?.containers ?? [])
    out.push(...containerFindings(c));
  return out;
}
