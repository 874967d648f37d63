// The JSON Schema of the readiness, probe and dependency kinds (config/json-schema.ts holds the others and
// passes the shared pieces in). A probe is an object with exactly one handler (`oneOf`: two handlers match
// twice and fail), and, as tend does, no key it does not know. Plain data, no zod.
import { DURATION_PATTERN } from './duration.js';
import { CONDITION_ALIASES, CONDITIONS, PORT_FORMS } from './health-grammar.js';
import type { HealthKind } from './registry/field.js';

type Schema = Record<string, unknown>;

export interface SharedSchemas {
  readonly BOOLEAN: Schema;
  readonly TEXT: Schema;
  readonly ENV_VARS: Schema;
  readonly PORT: Schema;
}

const POSITIVE_TEXT = '^\\s*[1-9]\\d*\\s*$';
/** Seconds as a number; a string is a bare number (seconds) or a duration with a unit. */
const seconds = (exclusive: boolean): Schema => ({
  anyOf: [
    { type: 'number', ...(exclusive ? { exclusiveMinimum: 0 } : { minimum: 0 }) },
    { type: 'string', pattern: DURATION_PATTERN },
  ],
});
const positive: Schema = {
  anyOf: [
    { type: 'integer', minimum: 1 },
    { type: 'string', pattern: POSITIVE_TEXT },
  ],
};

export function healthKindSchemas(s: SharedSchemas): Readonly<Record<HealthKind, Schema>> {
  const port: Schema = { anyOf: [...(s.PORT.anyOf as Schema[]), { enum: [...PORT_FORMS] }] };
  const host = { ...s.TEXT, default: '127.0.0.1' };
  const strict = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  });
  const httpGet = strict(
    {
      host,
      port,
      path: { type: 'string', pattern: '^/', default: '/' },
      scheme: { enum: ['http', 'https', 'HTTP', 'HTTPS'], default: 'http' },
      headers: {
        type: 'object',
        additionalProperties: { type: ['string', 'number', 'boolean'] },
      },
    },
    ['port'],
  );
  const tcpSocket = strict({ host, port }, ['port']);
  const exec = strict(
    {
      command: {
        anyOf: [
          { ...s.TEXT, description: 'run by /bin/sh -c' },
          { type: 'array', items: s.TEXT, minItems: 1, description: 'the program and its arguments' },
        ],
      },
      working_dir: { ...s.TEXT, description: "relative to the app's cwd" },
      env: s.ENV_VARS,
    },
    ['command'],
  );
  const probe = (once: boolean): Schema => {
    const success = once
      ? { anyOf: [{ const: 1 }, { type: 'string', pattern: '^\\s*1\\s*$' }], default: 1 }
      : { ...positive, default: 1 };
    const timing: Record<string, Schema> = {
      initial_delay_seconds: { ...seconds(false), default: 0 },
      period_seconds: { ...seconds(true), default: 10 },
      timeout_seconds: { ...seconds(true), default: 1 },
      success_threshold: success,
      failure_threshold: { ...positive, default: 3 },
    };
    const camel: Record<string, Schema> = {
      initialDelaySeconds: timing.initial_delay_seconds as Schema,
      periodSeconds: timing.period_seconds as Schema,
      timeoutSeconds: timing.timeout_seconds as Schema,
      successThreshold: success,
      failureThreshold: timing.failure_threshold as Schema,
    };
    return {
      ...strict({ http_get: httpGet, httpGet, tcp_socket: tcpSocket, tcpSocket, exec, ...timing, ...camel }),
      oneOf: ['http_get', 'httpGet', 'tcp_socket', 'tcpSocket', 'exec'].map((h) => ({ required: [h] })),
    };
  };
  const dependency = strict({
    condition: { enum: [...CONDITIONS, ...Object.keys(CONDITION_ALIASES)], default: 'process_started' },
    timeout_seconds: { ...seconds(false), default: 0 },
    restart: { ...s.BOOLEAN, default: false },
    bind: { ...s.BOOLEAN, default: false },
    required: { ...s.BOOLEAN, default: true },
  });
  return {
    readyLogLine: { ...s.TEXT, examples: ['listening on', '/ready in \\d+ ms/i'] },
    onReadyTimeout: { enum: ['fail', 'assume_ready'] },
    seconds: seconds(false),
    probe: probe(true),
    readinessProbe: probe(false),
    probeVia: { enum: ['any_worker'] },
    positiveCount: positive,
    dependsOn: {
      anyOf: [
        { type: 'array', items: s.TEXT, uniqueItems: true },
        { type: 'object', additionalProperties: { anyOf: [dependency, { type: 'null' }] } },
      ],
    },
  };
}
