// Sends alerts to their hooks: the events filter, max_per_minute per app and hook, the webhook deliveries
// (webhook.ts) and exec hooks (exec-hook.ts), the counters and one daemon.log line per outcome. Loaded by
// alerts/index.ts only once some app or the settings file has `notify` (it pulls in node:http, node:https,
// node:crypto and child processes). Nothing here is awaited by the supervisor: send() returns at once, and
// a hook's failure is a log line and a counter.
import { redactUrl } from '../config/notify-redact.js';
import type { ExecHook, WebhookHook } from '../config/spec.js';
import { ExecSlots } from '../health/exec-slots.js';
import { errorCatalogue } from '../protocol/errors.js';
import type { Clock } from '../supervisor/ports.js';
import { HOOK_CONCURRENCY, runHook } from './exec-hook.js';
import { type AlertBody, alertBody, outgoing } from './payload.js';
import { RateLimiter } from './rate-limit.js';
import type { Alert, AlertStat, DeliveryReport, HookKind, HookSet } from './types.js';
import { deliver } from './webhook.js';

export interface DispatcherDeps {
  clock: Clock;
  log(line: string): void;
  /** The `host` of every body (os.hostname()). */
  host: string;
  version: string;
  /** Told each step of each delivery (the metrics could count them; tests wait on them). */
  onDelivery?: ((report: DeliveryReport) => void) | undefined;
}

export interface Dispatcher {
  send(alert: Alert, sets: readonly HookSet[]): void;
  stats(): AlertStat[];
  /** Resolves once no delivery is in flight or waiting for a retry. */
  idle(): Promise<void>;
  /** Abandons what is in flight (requests destroyed, commands' groups killed) and waits for it to settle. */
  close(): Promise<void>;
}

type Counter = { sent: number; failed: number; suppressed: number };

/** How much of an exec hook's output one daemon.log line shows. */
const OUTPUT_IN_LOG = 500;

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { clock, log } = deps;
  const limiter = new RateLimiter();
  const slots = new ExecSlots(HOOK_CONCURRENCY);
  const abort = new AbortController();
  const counters = new Map<string, Counter & { app: string; kind: HookKind }>();
  const inflight = new Set<Promise<void>>();

  const count = (app: string, kind: HookKind, field: keyof Counter): void => {
    const key = `${app}\0${kind}`;
    let c = counters.get(key);
    if (!c) {
      c = { app, kind, sent: 0, failed: 0, suppressed: 0 };
      counters.set(key, c);
    }
    c[field] += 1;
  };
  const report = (
    alert: Alert,
    kind: HookKind,
    outcome: DeliveryReport['outcome'],
    attempt: number,
    detail: string,
  ) => deps.onDelivery?.({ kind, app: alert.app, event: alert.event, outcome, attempt, detail });
  const track = (work: Promise<void>): void => {
    const p = work.catch((err: unknown) => log(`alerts: internal error: ${String(err)}`));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  /** max_per_minute: the body's `suppressed`, or null when this one is left out (counted, logged once). */
  const admit = (alert: Alert, kind: HookKind, hook: string, name: string, max: number): number | null => {
    const key = `${kind}\0${hook}\0${alert.app}`;
    const now = clock.now();
    limiter.prune(now);
    const a = limiter.take(key, max, now);
    if (a.ok) return a.suppressed;
    count(alert.app, kind, 'suppressed');
    report(alert, kind, 'suppressed', 0, `over max_per_minute (${max})`);
    if (a.suppressed === 1)
      log(
        `alerts: ${name} for ${alert.app}: more than ${max} alerts in a minute; the next ones are counted, not sent, until the minute allows (the next delivery says how many)`,
      );
    return null;
  };

  const webhook = (alert: Alert, hook: WebhookHook): void => {
    const name = `webhook ${redactUrl(hook.url)}`;
    const suppressed = admit(alert, 'webhook', hook.url, name, hook.max_per_minute);
    if (suppressed === null) return;
    const out = outgoing(hook, body(alert, suppressed));
    const retrying = (attempt: number, detail: string) => {
      log(`alerts: ${name} ${label(alert)}: try ${attempt} failed (${detail}); trying again`);
      report(alert, 'webhook', 'retrying', attempt, detail);
    };
    track(
      deliver(hook.url, out, hook.timeout_ms, clock, abort.signal, retrying).then((r) => {
        if (r.ok) {
          count(alert.app, 'webhook', 'sent');
          log(`alerts: ${name} ${label(alert)}: delivered (${r.detail})`);
        } else {
          count(alert.app, 'webhook', 'failed');
          const tries = r.attempt > 1 ? ` after ${r.attempt} tries` : '';
          log(`alerts: ${failed(name, alert, `${r.detail}${tries}`)}`);
        }
        report(alert, 'webhook', r.ok ? 'sent' : 'failed', r.attempt, r.detail);
      }),
    );
  };

  const exec = (alert: Alert, hook: ExecHook, cwd: string): void => {
    // Named by its program only: a command line may carry a token.
    const name = `exec hook "${hook.command.trim().split(/\s+/)[0] ?? ''}…"`;
    const suppressed = admit(alert, 'exec', hook.command, name, hook.max_per_minute);
    if (suppressed === null) return;
    track(
      runHook(hook, body(alert, suppressed), cwd, slots, abort.signal).then((r) => {
        count(alert.app, 'exec', r.ok ? 'sent' : 'failed');
        const output = r.output
          .trim()
          .replace(/\s*\n\s*/g, ' | ')
          .slice(0, OUTPUT_IN_LOG);
        const said = output === '' ? '' : `; output: ${output}`;
        log(
          `alerts: ${r.ok ? `${name} ${label(alert)}: ${r.detail}` : failed(name, alert, r.detail)}${said}`,
        );
        report(alert, 'exec', r.ok ? 'sent' : 'failed', 1, r.detail);
      }),
    );
  };

  const body = (alert: Alert, suppressed: number): AlertBody =>
    alertBody(alert, deps.host, deps.version, suppressed);

  return {
    send(alert, sets) {
      if (abort.signal.aborted) return;
      for (const set of sets) {
        for (const hook of set.notify.webhook) if (hook.events.includes(alert.event)) webhook(alert, hook);
        for (const hook of set.notify.exec) if (hook.events.includes(alert.event)) exec(alert, hook, set.cwd);
      }
    },
    stats: () =>
      [...counters.values()].map(({ app, kind, sent, failed, suppressed }) => ({
        app,
        kind,
        sent,
        failed,
        suppressed,
      })),
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    async close() {
      abort.abort();
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}

function label(alert: Alert): string {
  return `${alert.app}[${alert.id}] ${alert.event}`;
}

/** The daemon.log text of a failed hook, with its code. */
function failed(hook: string, alert: Alert, reason: string): string {
  const data = { hook, app: `${alert.app}[${alert.id}]`, event: alert.event, reason };
  return `${errorCatalogue.TEND_ERR_NOTIFY_FAILED.message(data)} (TEND_ERR_NOTIFY_FAILED)`;
}
