// One-shot apps (`autorestart: false`) as what Kubernetes runs to completion: a batch/v1 Job, or a CronJob
// when `cron_restart` re-runs the one-shot on a schedule. The pod ends with the app (tend-runtime exits with
// its code), restartPolicy Never and backoffLimit 0: tend runs a one-shot once, so does the Job (but for a
// one-shot with depends_on, which Kubernetes cannot wait for: backoffLimit 6, it retries instead).
// A Job's spec.template is immutable: a Job named after its app alone made the next release's `kubectl apply`
// (a new --image) fail with "field is immutable", and an unchanged one never ran the one-shot again (seventh
// audit). The Job is named `<app>-<8 hex of its spec's sha256>`: a new release is a new Job, which runs; the
// finished ones are deleted a day later (ttlSecondsAfterFinished), their logs with them.
import { createHash } from 'node:crypto';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IJobSpec } from 'kubernetes-models/batch/v1/JobSpec';
import type { AppSpec } from '../config/spec.js';
import { TendError } from '../protocol/errors.js';
import { podTemplate } from './k8s-pod.js';
import { CRONJOB_NAME_MAX } from './k8s-rules.js';
import type { ExportInput } from './model.js';

type Warn = (field: string, message: string) => void;

/** The macros a CronJob's schedule takes besides five fields. */
/** Day and month names, which both take (their letters are not croner's L and W). */
const NAMES = /\b(MON|TUE|WED|THU|FRI|SAT|SUN|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\b/gi;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/**
 * A cron_restart expression as a CronJob schedule (five fields, or a macro), or why it has none: tend also
 * takes a seconds field (six fields; `0 …` drops it) and croner's L, W and # (the CronJob parser does not).
 */
export function cronJobSchedule(expr: string): { schedule: string } | { problem: string } {
  const text = expr.trim();
  if (text.startsWith('@'))
    return MACROS.has(text.toLowerCase())
      ? { schedule: text.toLowerCase() }
      : { problem: `${text} is not a CronJob macro` };
  let fields = text.split(/\s+/);
  if (fields.length === 6) {
    if (fields[0] !== '0') return { problem: 'a seconds field other than 0 has no CronJob equivalent' };
    fields = fields.slice(1);
  }
  if (fields.length !== 5) return { problem: `expected 5 fields, got ${fields.length}` };
  if (fields.some((f) => /[LW#]/i.test(f.replace(NAMES, ''))))
    return { problem: "croner's L, W and # have no CronJob equivalent" };
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string];
  return { schedule: [minute, hour, day, month, sundayAsZero(weekday)].join(' ') };
}

/**
 * A day-of-week field with 7 (Sunday to croner and Vixie cron) in the 0–6 the CronJob controller's parser
 * (robfig/cron: "end of range (7) above maximum (6)") takes: `7` → `0`, and a range reaching 7 becomes its
 * days listed (`5-7` → `5,6,0`, `1-7/2` → `1,3,5,0`, `FRI-SUN` → `5,6,0`: croner reads a range's SUN as 7),
 * the same days. Parts without a 7 stay as written (`*`, a step of `*`, names, `1-5`).
 */
export function sundayAsZero(field: string): string {
  const parts = field.split(',').map((part) => {
    // A range ending in SUN is 7 to croner (its `-sun` → `-7`): in numbers, to list its days.
    const numeric = /-sun\b/i.test(part)
      ? part.replace(/-sun\b/i, '-7').replace(NAMES, (n) => String(DAYS.indexOf(n.toLowerCase())))
      : part;
    const m = /^(\d+)(?:-(\d+)(?:\/(\d+))?)?$/.exec(numeric);
    if (m === null) return part;
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (start !== 7 && end !== 7) return part;
    const days: number[] = [];
    for (let d = start; d <= end && step > 0; d += step) days.push(d === 7 ? 0 : d);
    return [...new Set(days)].join(',');
  });
  const seen = new Set<string>();
  // `0,7` → `0,0`: each day once.
  return parts
    .flatMap((p) => p.split(','))
    .filter((p) => !seen.has(p) && seen.add(p))
    .join(',');
}

/** Seconds a finished Job (and its pod, its logs) stays before Kubernetes' TTL controller deletes it. */
export const JOB_TTL_SECONDS = 86_400;
/** Kubernetes' own default backoffLimit: the retries a one-shot with depends_on gets (k8s.ts warns). */
export const JOB_RETRIES_WITH_DEPENDENCIES = 6;
/** Hex digits of the spec's sha256 in a Job's name. */
const JOB_HASH_LENGTH = 8;

function jobSpec(app: AppSpec, name: string, port: number | null, input: ExportInput, w: Warn): IJobSpec {
  return {
    // Instances of a one-shot each run once: as many pods, at once.
    ...(app.instances > 1 ? { parallelism: app.instances, completions: app.instances } : {}),
    // Nothing makes the pod wait for a dependency: retried until it is there (warned in k8s.ts).
    backoffLimit: app.depends_on.length > 0 ? JOB_RETRIES_WITH_DEPENDENCIES : 0,
    template: podTemplate({ app, name, port, input, w, restartPolicy: 'Never' }),
  };
}

/**
 * `<name>-<8 hex of the sha256 of the Job's spec>`: the same spec, the same name (an apply of the same
 * release leaves the Job as it is), any change (the image, the command, an env value) a new Job. The name
 * is shortened so the whole stays a label (63: the Job controller labels its pods with it).
 */
export function jobName(name: string, spec: IJobSpec): string {
  const hash = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, JOB_HASH_LENGTH);
  const base = name.slice(0, 63 - JOB_HASH_LENGTH - 1).replace(/-+$/, '');
  return `${base}-${hash}`;
}

/** The Job, or the CronJob when cron_restart has a schedule a CronJob takes (else a Job and a warning). */
export function oneShot(
  app: AppSpec,
  name: string,
  port: number | null,
  input: ExportInput,
  w: Warn,
): IJob | ICronJob {
  const metadata = { name, labels: { 'app.kubernetes.io/name': name } };
  const spec = jobSpec(app, name, port, input, w);
  const { template, ...head } = spec;
  const once: IJobSpec = { ...head, ttlSecondsAfterFinished: JOB_TTL_SECONDS, template };
  // The app's name stays in the label (kubectl get jobs -l app.kubernetes.io/name=<app>).
  const job: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...metadata, name: jobName(name, once) },
    spec: once,
  };
  if (app.cron_restart === null) return job;
  const cron = cronJobSchedule(app.cron_restart);
  if ('problem' in cron) {
    w('cron_restart', `${cron.problem}: exported as a Job that runs once; write a CronJob schedule by hand`);
    return job;
  }
  // The CronJob controller names its Jobs <name>-<11 characters>, which must stay a label (63): refused
  // rather than shortened (a shortened name could be another app's).
  if (name.length > CRONJOB_NAME_MAX)
    throw new TendError('TEND_ERR_EXPORT_UNSAFE_VALUE', {
      app: app.name,
      field: 'name',
      problem: `the CronJob would be named "${name}" (${name.length} characters); Kubernetes allows at most ${CRONJOB_NAME_MAX} for a CronJob`,
      fix: `rename the app to at most ${CRONJOB_NAME_MAX} characters`,
    });
  if (app.cron_restart_tz === null)
    w(
      'cron_restart',
      "no cron_restart_tz: tend reads the schedule in the machine's local time, the CronJob in the cluster's (kube-controller-manager's, usually UTC); set cron_restart_tz to pin it",
    );
  w(
    'cron_restart',
    'the CronJob runs the app at each tick only; tend also runs a one-shot once when it starts (create a Job from it for that: kubectl create job --from=cronjob/…)',
  );
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata,
    spec: {
      schedule: cron.schedule,
      ...(app.cron_restart_tz !== null ? { timeZone: app.cron_restart_tz } : {}),
      // tend's cron restarts a one-shot still running: the new run replaces the old.
      concurrencyPolicy: 'Replace',
      jobTemplate: { metadata: { labels: metadata.labels }, spec },
    },
  };
}
