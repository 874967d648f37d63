// The value type of `notify` (issue 14), for an app of an ecosystem file and for the daemon settings file:
// `{ webhook: URL | { url, events, format, secret, timeout, max_per_minute } | [those],
//    exec: COMMAND | { command, events, timeout, max_per_minute } | [those] }`,
// read strictly (a typo inside is an error naming it, as in a probe) and normalised to lists with every
// default filled in. Plain checks only: nothing here connects or runs anything.
import * as z from '../protocol/zod.js';
import { type FieldTypes, fieldTypes, text } from './field-types.js';
import { type ConfigIssue, issuesFromZod } from './issues.js';
import { ALERT_EVENTS, DEFAULT_ALERT_EVENTS, NOTIFY_DEFAULTS, WEBHOOK_FORMATS } from './notify-grammar.js';
import type { AlertEvent, ExecHook, NotifySpec, WebhookHook } from './spec.js';
import { isPlainObject, type KeyDef, pushIssue, readStrict } from './strict-object.js';
import { closest } from './suggest.js';

const expect = (message: string) => ({ error: message });

const OBJECT = 'expected an object with "webhook" and/or "exec"';
const URL_TEXT = 'expected an http:// or https:// URL';
const WEBHOOK = `expected a URL, an object { url, events, format, secret, timeout, max_per_minute }, or a list of them`;
const COMMAND = 'expected a command (a string, run by /bin/sh -c)';
const EXEC = `expected a command, an object { command, events, timeout, max_per_minute }, or a list of them`;
const EVENTS = `expected an event name or a list of them: ${ALERT_EVENTS.join(', ')} (or "all")`;
const POSITIVE = 'expected a positive integer';
const TIMEOUT = 'expected a duration above 0: milliseconds, or a string such as "500ms" or "10s"';

/** A URL tend can POST to, or why not. */
export function urlProblem(written: string): string | null {
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    return URL_TEXT;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `${URL_TEXT} (${url.protocol.replace(/:$/, '')} is not supported)`;
  return null;
}

/** The value type of `notify`, built anew on each call (why: config/schema.ts). null: no hooks. */
export function notifyType(t: FieldTypes = fieldTypes()) {
  const url = z.string(expect(URL_TEXT)).check(
    z.superRefine((written, ctx) => {
      const problem = urlProblem(written.trim());
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: written });
    }),
  );
  const events = z.transform((value: unknown, ctx): AlertEvent[] => {
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) pushIssue(ctx, [], EVENTS, value);
    const out = new Set<AlertEvent>();
    list.forEach((item, i) => {
      const at = Array.isArray(value) ? [i] : [];
      if (item === 'all') for (const e of ALERT_EVENTS) out.add(e);
      else if (typeof item === 'string' && (ALERT_EVENTS as readonly string[]).includes(item))
        out.add(item as AlertEvent);
      else {
        const hint = typeof item === 'string' ? closest(item, ALERT_EVENTS) : null;
        pushIssue(ctx, at, hint ? `${EVENTS} (did you mean "${hint}"?)` : EVENTS, item);
      }
    });
    // In the documented order, whatever order they were written in.
    return ALERT_EVENTS.filter((e) => out.has(e));
  });
  const format = z.enum(WEBHOOK_FORMATS, expect('expected "json", "slack" or "discord"'));
  const positive = z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v)),
    z.number(expect(POSITIVE)).check(z.int(expect(POSITIVE)), z.gte(1, expect(POSITIVE))),
  );
  const timeout = z.pipe(t.duration, z.number(expect(TIMEOUT)).check(z.gt(0, expect(TIMEOUT))));

  const webhookKeys: Record<string, KeyDef> = {
    url: { type: url, required: URL_TEXT },
    events: { type: events },
    format: { type: format },
    secret: { type: text('expected a secret (a non-empty string)') },
    timeout: { type: timeout },
    max_per_minute: { type: positive },
  };
  const execKeys: Record<string, KeyDef> = {
    command: { type: text(COMMAND), required: COMMAND },
    events: { type: events },
    timeout: { type: timeout },
    max_per_minute: { type: positive },
  };

  /** `value` is one hook as written (a string or an object); problems are pushed at `at`. */
  const webhookAt = (value: unknown, ctx: z.core.ParsePayload, at: PropertyKey[]): WebhookHook | null => {
    const written = typeof value === 'string' ? { url: value } : value;
    if (!isPlainObject(written)) {
      pushIssue(ctx, at, WEBHOOK, value);
      return null;
    }
    // A bare URL's problem is reported at the URL itself (`notify.webhook`), not at a `.url` it lacks.
    const mark = ctx.issues.length;
    const read = readStrict(written, webhookKeys, ctx, 'a webhook', typeof value === 'string' ? [] : at);
    if (typeof value === 'string') relocate(ctx, mark, at);
    if (!read.ok) return null;
    const v = read.values;
    return {
      url: (v.url as string).trim(),
      events: (v.events as AlertEvent[] | undefined) ?? [...DEFAULT_ALERT_EVENTS],
      format: (v.format as WebhookHook['format'] | undefined) ?? 'json',
      secret: (v.secret as string | undefined) ?? null,
      timeout_ms: (v.timeout as number | undefined) ?? NOTIFY_DEFAULTS.webhook_timeout_ms,
      max_per_minute: (v.max_per_minute as number | undefined) ?? NOTIFY_DEFAULTS.max_per_minute,
    };
  };
  const execAt = (value: unknown, ctx: z.core.ParsePayload, at: PropertyKey[]): ExecHook | null => {
    const written = typeof value === 'string' ? { command: value } : value;
    if (!isPlainObject(written)) {
      pushIssue(ctx, at, EXEC, value);
      return null;
    }
    const mark = ctx.issues.length;
    const read = readStrict(written, execKeys, ctx, 'an exec hook', typeof value === 'string' ? [] : at);
    if (typeof value === 'string') relocate(ctx, mark, at);
    if (!read.ok) return null;
    const v = read.values;
    return {
      command: v.command as string,
      events: (v.events as AlertEvent[] | undefined) ?? [...DEFAULT_ALERT_EVENTS],
      timeout_ms: (v.timeout as number | undefined) ?? NOTIFY_DEFAULTS.exec_timeout_ms,
      max_per_minute: (v.max_per_minute as number | undefined) ?? NOTIFY_DEFAULTS.max_per_minute,
    };
  };
  /** One hook or a list of them, at `key` of the notify object. */
  const hooks = <H>(
    value: unknown,
    ctx: z.core.ParsePayload,
    key: string,
    one: (v: unknown, c: z.core.ParsePayload, at: PropertyKey[]) => H | null,
  ): H[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      const hook = one(value, ctx, [key]);
      return hook ? [hook] : [];
    }
    return value.flatMap((item, i) => {
      const hook = one(item, ctx, [key, i]);
      return hook ? [hook] : [];
    });
  };

  return z.transform((value: unknown, ctx): NotifySpec | null => {
    if (!isPlainObject(value)) {
      pushIssue(ctx, [], OBJECT, value);
      return null;
    }
    const known = ['webhook', 'exec'];
    for (const key of Object.keys(value))
      if (!known.includes(key)) {
        const hint = closest(key, known);
        const message = hint
          ? `unknown key of notify (did you mean "${hint}"?)`
          : 'unknown key of notify (known: webhook, exec)';
        pushIssue(ctx, [key], message, value[key]);
      }
    const webhook = hooks(value.webhook, ctx, 'webhook', webhookAt);
    const exec = hooks(value.exec, ctx, 'exec', execAt);
    if (webhook.length === 0 && exec.length === 0) return null;
    return { webhook, exec };
  });
}

/**
 * A hook written as a bare string was read as `{ url }` / `{ command }` with no path of its own: its problems
 * (pushed at `url` or `command`) belong at the string's place: the issues pushed since `mark` are moved there.
 */
function relocate(ctx: z.core.ParsePayload, mark: number, at: PropertyKey[]): void {
  for (const issue of ctx.issues.slice(mark)) {
    const path = (issue as { path?: PropertyKey[] }).path;
    if (path && path.length === 1 && (path[0] === 'url' || path[0] === 'command')) path.splice(0, 1, ...at);
  }
}

/**
 * Checks a `notify` value outside an ecosystem file (the daemon settings file's global `notify`): the hooks,
 * and the problems with their paths under `where` (`notify.webhook[1].url: expected …, got …`).
 */
export function checkNotify(
  value: unknown,
  where: string,
): { notify: NotifySpec | null; issues: ConfigIssue[] } {
  if (value === undefined || value === null) return { notify: null, issues: [] };
  const parsed = notifyType().safeParse(value, { reportInput: true });
  if (parsed.success) return { notify: parsed.data, issues: [] };
  return { notify: null, issues: issuesFromZod(parsed.error, { prefix: where, input: value }) };
}
