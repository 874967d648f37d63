// From the bus's events to alerts: which exit is a crash, which restart the policy or a trigger made, when
// an instance gave up, turned unhealthy, failed a reload or recovered. Synchronous, run inside the bus's
// delivery: at `process.exit` the instance has not applied its exit yet, so its status still says whether
// tend was stopping it (a stop, restart or reload asked for) or not (the app went away by itself).
//
// - crash: an exit tend did not ask for (status online or launching), except a completion (autorestart off
//   and code 0, or a stop_exit_codes exit); or a failed start (ready_timeout, startup_probe) that tend ended.
// - restart: a restart the policy scheduled (`process.restart-scheduled`) or a trigger asked for (watch,
//   memory, cron: `process.triggered`); a user's `tend restart` is no alert.
// - errored: the instance gave up (`process.state` to errored: max_restarts, a spawn that failed).
// - unhealthy: a liveness probe or the watchdog failed (the instance is being restarted), or a readiness
//   probe turned failing on an online instance. Once per episode, until it is ready again.
// - reload_failed: a rolling reload's replacement failed (`process.reload` failed).
// - recovered: online and ready again after a crash, errored or unhealthy.
import type { AppSpec } from '../config/spec.js';
import type { TendEvent } from '../protocol/events.js';
import type { ExitInfo, Status } from '../protocol/process-info.js';
import type { Alert, AlertEvent } from './types.js';

/** What the classifier reads of an instance, at the moment an event is delivered. */
export interface InstanceView {
  readonly name: string;
  readonly namespace: string;
  readonly instance: number;
  readonly status: Status;
  readonly spec: Pick<AppSpec, 'autorestart' | 'stop_exit_codes'>;
  /** Why tend is ending the current incarnation (health/readiness), or null. */
  failure(): { cause: string; detail: string; failedStart: boolean } | null;
  /** The last probe run that failed, in a few words, or null. */
  probeText(): string | null;
  /** The last stderr lines, oldest first. */
  stderr(): string[];
}

interface InstanceState {
  /** The exit just published, until the state change it leads to. */
  exit: ExitInfo | null;
  /** What went wrong since the instance was last ready (a `recovered` is owed), or null. */
  trouble: AlertEvent | null;
  /** An `unhealthy` was sent for this episode. */
  unhealthy: boolean;
}

const LINE_LIMIT = 1000;

export class AlertClassifier {
  private readonly states = new Map<number, InstanceState>();

  constructor(
    private readonly view: (id: number) => InstanceView | undefined,
    private readonly now: () => number,
  ) {}

  /** The alerts one bus event means (usually none). */
  on(e: TendEvent): Alert[] {
    switch (e.event) {
      case 'process.exit':
        return this.exited(e.data.id, e.data.exit);
      case 'process.state':
        return this.changed(e.data.id, e.data.to, e.data.at, e.data.process);
      case 'process.restart-scheduled': {
        const exit = this.state(e.data.id).exit;
        const reason = `${e.data.reason}; restarting in ${e.data.delay_ms} ms`;
        return this.alert('restart', e.data.id, reason, exit, null);
      }
      case 'process.triggered':
        return this.alert('restart', e.data.id, `${e.data.reason}: ${e.data.detail}`, null, null);
      case 'process.reload':
        if (e.data.outcome !== 'failed') return [];
        return this.alert('reload_failed', e.data.id, e.data.reason ?? 'the replacement failed', null, null);
      case 'process.ready':
        return this.readiness(e.data.id, e.data.ready, e.data.source, e.data.at);
      case 'process.deleted':
        this.states.delete(e.data.id);
        return [];
      default:
        return [];
    }
  }

  private exited(id: number, exit: ExitInfo): Alert[] {
    const st = this.state(id);
    st.exit = exit;
    const v = this.view(id);
    if (!v) return [];
    if (v.status === 'online' || v.status === 'launching') {
      // Gone by itself. A completion is what the app was meant to do: no alert.
      const done =
        exit.signal === null &&
        exit.code !== null &&
        (v.spec.stop_exit_codes.includes(exit.code) || (!v.spec.autorestart && exit.code === 0));
      if (done) return [];
      st.trouble = 'crash';
      return this.alert('crash', id, exitText(exit), exit, exit.at);
    }
    const failure = v.failure();
    if (v.status === 'stopping' && failure?.failedStart) {
      st.trouble = 'crash';
      return this.alert('crash', id, `${failure.cause}: ${failure.detail}`, exit, exit.at);
    }
    return [];
  }

  private changed(
    id: number,
    to: Status,
    at: number,
    p: { ready: boolean; last_error: string | null; reason: string | null },
  ): Alert[] {
    const st = this.state(id);
    const exit = st.exit;
    if (to !== 'stopping') st.exit = null;
    const out: Alert[] = [];
    if (to === 'stopping') {
      const failure = this.view(id)?.failure();
      if (failure && !failure.failedStart && !st.unhealthy) {
        st.unhealthy = true;
        st.trouble = 'unhealthy';
        out.push(...this.alert('unhealthy', id, `${failure.cause}: ${failure.detail}`, null, at));
      }
    } else if (to === 'errored') {
      st.trouble = 'errored';
      out.push(...this.alert('errored', id, p.last_error ?? p.reason ?? 'errored', exit, at));
    } else if (to === 'online' && p.ready) {
      out.push(...this.recovered(id, at));
    } else if (to === 'launching') {
      st.unhealthy = false;
    }
    return out;
  }

  private readiness(id: number, ready: boolean, source: string, at: number): Alert[] {
    const v = this.view(id);
    if (v?.status !== 'online') return [];
    if (ready) return this.recovered(id, at);
    const st = this.state(id);
    // A readiness probe turned failing (a liveness verdict is handled when the instance is stopped for it).
    if (source !== 'readiness' || st.unhealthy) return [];
    st.unhealthy = true;
    st.trouble ??= 'unhealthy';
    const probe = v.probeText();
    return this.alert('unhealthy', id, `not ready: ${probe ?? 'readiness probe failing'}`, null, at);
  }

  private recovered(id: number, at: number): Alert[] {
    const st = this.state(id);
    st.unhealthy = false;
    const after = st.trouble;
    if (after === null) return [];
    st.trouble = null;
    const what = after === 'crash' ? 'a crash' : after === 'errored' ? 'errored' : 'unhealthy';
    return this.alert('recovered', id, `online and ready again (after ${what})`, null, at);
  }

  private alert(
    event: AlertEvent,
    id: number,
    reason: string,
    exit: ExitInfo | null,
    at: number | null,
  ): Alert[] {
    const v = this.view(id);
    if (!v) return [];
    const stderr = event === 'recovered' ? [] : v.stderr().map((l) => l.slice(0, LINE_LIMIT));
    return [
      {
        event,
        app: v.name,
        namespace: v.namespace,
        instance_id: v.instance,
        id,
        reason,
        exit_code: exit?.code ?? null,
        signal: exit?.signal ?? null,
        at: at ?? this.now(),
        stderr,
      },
    ];
  }

  private state(id: number): InstanceState {
    let st = this.states.get(id);
    if (!st) {
      st = { exit: null, trouble: null, unhealthy: false };
      this.states.set(id, st);
    }
    return st;
  }
}

/** `exited with code 1 after 420 ms`, `killed by SIGSEGV after 3 ms`. */
export function exitText(exit: ExitInfo): string {
  const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return `${how} after ${exit.uptime_ms} ms`;
}
