// What a webhook receives: tend's JSON body, or the same alert shaped for Slack (`{ text }`) or Discord
// (`{ content }`), and the headers, signed when the hook has a secret. One body per delivery: its retries send
// the same bytes, so a receiver can drop a duplicate by its `delivery` id.
//
// Signature (docs/alerts.md): `X-Tend-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed by the
// secret>`, as GitHub signs its webhooks. The body holds `at` (when it happened) and `delivery` (unique):
// a receiver rejects a signed body older than a few minutes, or a delivery id it has seen, and so a replay.
// `X-Tend-Timestamp` repeats `at` in seconds for receivers that check freshness before parsing.
import { createHmac, randomUUID } from 'node:crypto';
import type { WebhookHook } from '../config/spec.js';
import type { Alert } from './types.js';

/** The JSON body (`format: json`). */
export interface AlertBody {
  readonly delivery: string;
  readonly event: Alert['event'];
  readonly app: string;
  readonly namespace: string;
  readonly instance_id: number;
  /** tend's id of the instance (`tend describe <id>`). */
  readonly process_id: number;
  readonly reason: string;
  readonly exit_code: number | null;
  readonly signal: string | null;
  readonly stderr: readonly string[];
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly host: string;
  readonly tend_version: string;
  /** Alerts of this app and hook left out by max_per_minute since the previous delivery. */
  readonly suppressed: number;
}

export interface Outgoing {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

const CHAT_STDERR_LINES = 10;
/** Discord refuses content over 2000 characters; Slack's limit is far higher, one size fits both. */
const CHAT_LIMIT = 1900;

export function alertBody(alert: Alert, host: string, version: string, suppressed: number): AlertBody {
  return {
    delivery: randomUUID(),
    event: alert.event,
    app: alert.app,
    namespace: alert.namespace,
    instance_id: alert.instance_id,
    process_id: alert.id,
    reason: alert.reason,
    exit_code: alert.exit_code,
    signal: alert.signal,
    stderr: alert.stderr,
    at: new Date(alert.at).toISOString(),
    host,
    tend_version: version,
    suppressed,
  };
}

/** The request of one delivery: body in the hook's format, headers, signature. */
export function outgoing(hook: WebhookHook, body: AlertBody): Outgoing {
  const json =
    hook.format === 'slack'
      ? JSON.stringify({ text: chatText(body, slackEscape) })
      : hook.format === 'discord'
        ? // No @everyone or role pings from an app's stderr.
          JSON.stringify({ content: chatText(body, (s) => s), allowed_mentions: { parse: [] } })
        : JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': `tend/${body.tend_version}`,
    'x-tend-event': body.event,
    'x-tend-delivery': body.delivery,
    'x-tend-timestamp': String(Math.floor(Date.parse(body.at) / 1000)),
  };
  if (hook.secret !== null) headers['x-tend-signature'] = signature(hook.secret, json);
  return { body: json, headers };
}

/** `sha256=<hex>`: what a receiver recomputes over the raw body with the shared secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** One message for a chat: a headline, then the last stderr lines in a code block, within CHAT_LIMIT. */
function chatText(b: AlertBody, clean: (s: string) => string): string {
  const exit = b.signal ? ` (${b.signal})` : b.exit_code !== null ? ` (exit code ${b.exit_code})` : '';
  const more = b.suppressed > 0 ? `\n${b.suppressed} more alert(s) were left out (max_per_minute).` : '';
  const head = clean(
    `tend: ${b.app}[${b.instance_id}] ${b.event.replace('_', ' ')}${exit} on ${b.host}: ${b.reason}`,
  ).slice(0, CHAT_LIMIT - more.length);
  const lines = b.stderr.slice(-CHAT_STDERR_LINES).map((l) => clean(l.replaceAll('```', "'''")));
  let block = lines.join('\n');
  const room = CHAT_LIMIT - head.length - more.length - 10;
  if (block.length > room) block = block.slice(block.length - Math.max(0, room));
  return block.trim() === '' ? `${head}${more}` : `${head}${more}\n\`\`\`\n${block}\n\`\`\``;
}

/** Slack reads `&`, `<` and `>` as markup (`<!channel>` pings): escaped as its docs say. */
function slackEscape(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
