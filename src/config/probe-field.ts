// The value type of `startup_probe`, `readiness_probe` and `liveness_probe`: exactly one handler
// (`http_get`, `tcp_socket`, `exec`) and Kubernetes' timing (seconds, fractions and durations accepted,
// stored in ms), Kubernetes' camelCase spellings accepted too. Checked here: what the probe says alone.
// What needs the app (a `$PORT` port needs a PORT, a cluster's shared port, exec's working_dir against
// the cwd) is config/health-fields.ts's.
import * as z from '../protocol/zod.js';
import { parseSeconds } from './duration.js';
import { type FieldTypes, fieldTypes, text } from './field-types.js';
import { PORT_FORMS } from './health-grammar.js';
import type { ProbeHandler, ProbeSpec } from './spec.js';
import { isPlainObject, type KeyDef, pushIssue, readStrict } from './strict-object.js';

const expect = (message: string) => ({ error: message });

/** A probe as the schema outputs it: the spec (exec's working_dir still as written), and how it was written. */
export interface ProbeIn {
  readonly spec: ProbeSpec;
  /** The handler's key as written (`http_get` or `httpGet`…), for paths in later messages. */
  readonly handlerKey: string;
}

export const PROBE_PORT = 'expected a port number (1 to 65535), "$PORT" or "$PORT+instance"';
const COMMAND = 'expected a command: a string (run by /bin/sh -c) or a list (the program and its arguments)';
const HANDLERS = '(http_get, tcp_socket or exec)';
const OBJECT = 'expected a probe: an object with one handler (http_get, tcp_socket or exec) and its timing';
const NON_NEGATIVE = 'expected seconds (a number, fractions allowed), or a duration such as "500ms" or "10s"';
const POSITIVE = 'expected a positive number of seconds, or a duration such as "500ms" or "10s"';
const THRESHOLD = 'expected a positive integer';
const ONE =
  'expected 1 on a startup or liveness probe (as in Kubernetes: only a readiness probe may need several successes)';

/** Seconds (or a duration) → ms: not negative, or more than 0 when `positive`. */
export function secondsType(positive: boolean) {
  const message = positive ? POSITIVE : NON_NEGATIVE;
  return z.pipe(
    z.transform((v: unknown) => parseSeconds(v) ?? v),
    z.number(expect(message)).check(positive ? z.gt(0, expect(message)) : z.gte(0, expect(message))),
  );
}

/** The value types of the probe fields, built anew on each call (why: config/schema.ts). */
export function probeTypes(t: FieldTypes = fieldTypes()) {
  const threshold = z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v)),
    z.number(expect(THRESHOLD)).check(z.int(expect(THRESHOLD)), z.gte(1, expect(THRESHOLD))),
  );
  const port = z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v)),
    z.union(
      [
        z.enum(PORT_FORMS, expect(PROBE_PORT)),
        z
          .number(expect(PROBE_PORT))
          .check(z.int(expect(PROBE_PORT)), z.gte(1, expect(PROBE_PORT)), z.lte(65535, expect(PROBE_PORT))),
      ],
      expect(PROBE_PORT),
    ),
  );
  const host = text('expected a host name or address');
  const scheme = z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v)),
    z.enum(['http', 'https'], expect('expected "http" or "https"')),
  );
  const path = z
    .string(expect('expected a path starting with "/"'))
    .check(z.startsWith('/', expect('expected a path starting with "/"')));
  const command = z.union(
    [text(COMMAND), z.array(text('expected a string (one argument)')).check(z.minLength(1, expect(COMMAND)))],
    expect(COMMAND),
  );

  const httpKeys: Record<string, KeyDef> = {
    host: { type: host },
    port: { type: port, required: PROBE_PORT },
    path: { type: path },
    scheme: { type: scheme },
    headers: { type: t.envVars },
  };
  const tcpKeys: Record<string, KeyDef> = {
    host: { type: host },
    port: { type: port, required: PROBE_PORT },
  };
  const execKeys: Record<string, KeyDef> = {
    command: { type: command, required: COMMAND },
    working_dir: { type: text('expected a directory path') },
    env: { type: t.envVars },
  };
  /** A handler's object: its keys are read by readStrict in the probe's own pass (so its paths are the probe's). */
  const handlerObject = (shape: string) =>
    z.custom<Record<string, unknown>>(isPlainObject, expect(`expected an object ${shape}`));

  const probeKeys: Record<string, KeyDef> = {
    http_get: { type: handlerObject('{ port, host, path, scheme, headers }'), aliases: ['httpGet'] },
    tcp_socket: { type: handlerObject('{ port, host }'), aliases: ['tcpSocket'] },
    exec: { type: handlerObject('{ command, working_dir, env }') },
    initial_delay_seconds: { type: secondsType(false), aliases: ['initialDelaySeconds'] },
    period_seconds: { type: secondsType(true), aliases: ['periodSeconds'] },
    timeout_seconds: { type: secondsType(true), aliases: ['timeoutSeconds'] },
    success_threshold: { type: threshold, aliases: ['successThreshold'] },
    failure_threshold: { type: threshold, aliases: ['failureThreshold'] },
  };

  /** `once`: a startup or liveness probe (success_threshold must be 1). */
  const probe = (once: boolean) =>
    z.transform((value: unknown, ctx): ProbeIn => {
      if (!isPlainObject(value)) {
        pushIssue(ctx, [], OBJECT, value);
        return placeholder;
      }
      const read = readStrict(value, probeKeys, ctx, 'a probe');
      const v = read.values;
      const handlers = ['http_get', 'tcp_socket', 'exec'].filter((k) => read.written.has(k));
      const given = handlers.map((k) => read.written.get(k) ?? k);
      if (given.length === 0) pushIssue(ctx, [], `expected one handler ${HANDLERS}`, value);
      else if (given.length > 1)
        pushIssue(
          ctx,
          [],
          `expected exactly one handler ${HANDLERS}, but this probe has ${given.length}: ${given.join(' and ')}`,
          value,
        );
      const success = v.success_threshold as number | undefined;
      if (once && success !== undefined && success !== 1)
        pushIssue(ctx, [read.written.get('success_threshold') ?? 'success_threshold'], ONE, success);
      const kind = handlers[0];
      if (kind === undefined || handlers.length > 1) return placeholder;
      const handlerKey = read.written.get(kind) ?? kind;
      const raw = v[kind] as Record<string, unknown> | undefined;
      if (raw === undefined) return placeholder;
      const keys = kind === 'http_get' ? httpKeys : kind === 'tcp_socket' ? tcpKeys : execKeys;
      const h = readStrict(raw, keys, ctx, kind, [handlerKey]).values;
      const handler: ProbeHandler =
        kind === 'http_get'
          ? {
              http_get: {
                host: (h.host as string) ?? '127.0.0.1',
                port: h.port as number | string,
                path: (h.path as string) ?? '/',
                scheme: (h.scheme as 'http' | 'https') ?? 'http',
                headers: (h.headers as Record<string, string>) ?? {},
              },
            }
          : kind === 'tcp_socket'
            ? { tcp_socket: { host: (h.host as string) ?? '127.0.0.1', port: h.port as number | string } }
            : {
                exec: {
                  command: h.command as string | string[],
                  working_dir: (h.working_dir as string) ?? null,
                  env: (h.env as Record<string, string>) ?? {},
                },
              };
      // Kubernetes' defaults.
      const spec: ProbeSpec = {
        handler,
        initial_delay_ms: (v.initial_delay_seconds as number) ?? 0,
        period_ms: (v.period_seconds as number) ?? 10_000,
        timeout_ms: (v.timeout_seconds as number) ?? 1000,
        success_threshold: success ?? 1,
        failure_threshold: (v.failure_threshold as number) ?? 3,
      };
      return { spec, handlerKey };
    });

  return { probe: probe(true), readinessProbe: probe(false) };
}

/** What a failed probe parse returns: never used (the issues fail the app). */
const placeholder: ProbeIn = {
  spec: {
    handler: { exec: { command: 'true', working_dir: null, env: {} } },
    initial_delay_ms: 0,
    period_ms: 10_000,
    timeout_ms: 1000,
    success_threshold: 1,
    failure_threshold: 3,
  },
  handlerKey: 'exec',
};
