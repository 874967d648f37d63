// The JSON Schema of the `notify` kind (issue 14; config/json-schema.ts holds the others). As tend does, an
// object names no key it does not know; a hook is a string, an object, or a list of them. Plain data, no zod.
import { DURATION_PATTERN } from './duration.js';
import { ALERT_EVENTS, NOTIFY_DEFAULTS, WEBHOOK_FORMATS } from './notify-grammar.js';

type Schema = Record<string, unknown>;

export function notifyKindSchema(): Schema {
  const oneOrList = (item: Schema): Schema => ({
    anyOf: [item, { type: 'array', items: item, minItems: 1 }],
  });
  const events = oneOrList({ enum: [...ALERT_EVENTS, 'all'] });
  const timeout = (ms: number): Schema => ({
    anyOf: [
      { type: 'number', exclusiveMinimum: 0 },
      { type: 'string', pattern: DURATION_PATTERN },
    ],
    default: ms,
  });
  const perMinute: Schema = {
    anyOf: [
      { type: 'integer', minimum: 1 },
      { type: 'string', pattern: '^\\s*[1-9]\\d*\\s*$' },
    ],
    default: NOTIFY_DEFAULTS.max_per_minute,
  };
  const url: Schema = { type: 'string', pattern: '^\\s*[hH][tT][tT][pP][sS]?://' };
  const command: Schema = { type: 'string', minLength: 1, description: 'run by /bin/sh -c' };
  const webhook: Schema = {
    type: 'object',
    properties: {
      url,
      events,
      format: { enum: [...WEBHOOK_FORMATS], default: 'json' },
      secret: { type: 'string', minLength: 1, description: 'signs each body: X-Tend-Signature' },
      timeout: timeout(NOTIFY_DEFAULTS.webhook_timeout_ms),
      max_per_minute: perMinute,
    },
    required: ['url'],
    additionalProperties: false,
  };
  const exec: Schema = {
    type: 'object',
    properties: {
      command,
      events,
      timeout: timeout(NOTIFY_DEFAULTS.exec_timeout_ms),
      max_per_minute: perMinute,
    },
    required: ['command'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: {
      webhook: oneOrList({ anyOf: [url, webhook] }),
      exec: oneOrList({ anyOf: [command, exec] }),
    },
    additionalProperties: false,
  };
}
