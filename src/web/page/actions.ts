// The actions on an app or an instance: each asks for confirmation with its consequence stated, is sent as
// one POST/DELETE, and disables the row's buttons while in flight; a reload shows its progress live (the
// store counts the `process.reload` events as workers are replaced).
import { api, target } from './api.js';
import { ask, type Field, type Question } from './dialog.js';
import { plural } from './format.js';
import { notice } from './notices.js';
import type { Store } from './store.js';
import type { DescribedProcess, GraphApp, ProcessInfo } from './types.js';

export type ActionKind = 'start' | 'stop' | 'restart' | 'reload' | 'scale' | 'signal' | 'delete';
export const APP_ACTIONS: ActionKind[] = ['start', 'stop', 'restart', 'reload', 'scale', 'signal', 'delete'];
export const INSTANCE_ACTIONS: ActionKind[] = ['start', 'stop', 'restart', 'signal'];
const SIGNALS = ['SIGUSR2', 'SIGUSR1', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGKILL', 'SIGQUIT', 'SIGWINCH'];

/** What an action applies to: a whole app (by name) or one instance (by id). */
export interface Subject {
  key: string;
  app: string;
  instances: ProcessInfo[];
  instanceId?: number;
}

const inFlight = new Map<string, ActionKind>();
let asking = false;
export const busy = (key: string): ActionKind | undefined => inFlight.get(key);

function label(s: Subject): string {
  return s.instanceId === undefined
    ? `${s.app} (${plural(s.instances.length, 'instance')})`
    : `${s.app} [${s.instanceId}]`;
}

/** The consequence of an action, from what is known now (dependents and timeouts are asked for once). */
async function question(kind: ActionKind, s: Subject): Promise<Question> {
  const who = label(s);
  const [graph, detail] = await Promise.all([
    api<{ apps: GraphApp[] }>('GET', `/api/v1/graph?target=${encodeURIComponent(s.app)}`).catch(() => null),
    api<{ details: DescribedProcess[] }>(
      'GET',
      `/api/v1/processes/${target(s.instances[0]?.id ?? s.app)}`,
    ).catch(() => null),
  ]);
  const dependents = graph?.apps.find((a) => a.name === s.app)?.dependents ?? [];
  const cfg = detail?.details[0]?.config;
  const kill = cfg
    ? `Each process gets ${cfg.kill_signal}, then SIGKILL after ${cfg.kill_timeout} ms.`
    : null;
  const deps = dependents.length > 0 ? `Apps that depend on it: ${dependents.join(', ')}.` : null;
  const lines = (...l: (string | null)[]) => l.filter((x): x is string => x !== null);
  const cluster = s.instances.some((p) => p.mode === 'cluster');
  switch (kind) {
    case 'start':
      return {
        title: `Start ${who}?`,
        lines: lines('Its processes are started (what it depends on first).'),
        confirm: 'Start',
      };
    case 'stop':
      return {
        title: `Stop ${who}?`,
        lines: lines(
          'Requests to it will fail until started again.',
          kill,
          deps && `${deps} They keep running without it.`,
        ),
        confirm: 'Stop',
        danger: true,
      };
    case 'restart':
      return {
        title: `Restart ${who}?`,
        lines: lines(
          'Each process is stopped and started again: requests to it fail while it restarts.',
          kill,
          deps,
        ),
        confirm: 'Restart',
      };
    case 'reload':
      return {
        title: `Reload ${who}?`,
        lines: lines(
          cluster
            ? 'Workers are replaced one at a time: each new one must be ready before the old one stops, so requests keep being served. A replacement that is not ready in time ends the reload, the old worker still serving.'
            : 'It runs in fork mode: its processes are restarted one at a time (a short outage each).',
        ),
        confirm: 'Reload',
      };
    case 'scale': {
      const now = s.instances.length;
      const text = (n: number) =>
        n > now
          ? [`${n - now} new ${n - now === 1 ? 'instance starts' : 'instances start'} (${now} → ${n}).`]
          : n < now
            ? [
                `The ${n === now - 1 ? 'highest instance is' : `${now - n} highest instances are`} stopped gracefully and deleted (${now} → ${n}); requests they serve fail.`,
              ]
            : ['Nothing changes.'];
      const field: Field = {
        name: 'instances',
        label: 'Instances',
        type: 'number',
        value: String(now),
        min: 1,
        max: 10000,
      };
      return {
        title: `Scale ${s.app}?`,
        lines: text(now),
        confirm: 'Scale',
        fields: [field],
        update: (v) => text(Number(v.instances)),
      };
    }
    case 'signal':
      return {
        title: `Send a signal to ${who}?`,
        lines: ['The process is not restarted unless the signal makes it exit (then it counts as a crash).'],
        confirm: 'Send',
        fields: [{ name: 'signal', label: 'Signal', type: 'select', value: 'SIGUSR2', options: SIGNALS }],
      };
    case 'delete':
      return {
        title: `Delete ${who}?`,
        lines: lines(
          'Its processes are stopped and it is forgotten: start it again from its ecosystem file.',
          deps,
        ),
        confirm: 'Delete',
        danger: true,
      };
  }
}

function send(kind: ActionKind, s: Subject, values: Record<string, string>): Promise<unknown> {
  const t = target(s.instanceId === undefined ? s.app : (s.instances[0]?.id ?? s.app));
  switch (kind) {
    case 'scale':
      return api('POST', `/api/v1/apps/${encodeURIComponent(s.app)}/scale`, {
        instances: Number(values.instances),
      });
    case 'signal':
      return api('POST', `/api/v1/processes/${t}/signal`, { signal: values.signal });
    case 'delete':
      return api('DELETE', `/api/v1/processes/${t}`);
    default:
      return api('POST', `/api/v1/processes/${t}/${kind}`, {});
  }
}

/** Asks, then acts; `changed` redraws the rows (buttons disabled while in flight, reload progress). */
export async function act(
  kind: ActionKind,
  s: Subject,
  store: Store,
  changed: () => void,
  opener?: HTMLElement,
): Promise<void> {
  // One question at a time: a second click while the first one's consequence is being looked up is ignored.
  if (inFlight.has(s.key) || asking) return;
  asking = true;
  let values: Record<string, string> | null;
  try {
    values = await ask(await question(kind, s));
  } finally {
    asking = false;
  }
  if (!values || inFlight.has(s.key)) return;
  inFlight.set(s.key, kind);
  try {
    // Cluster workers are replaced one by one (process.reload events); fork instances are just restarted.
    if (kind === 'reload' && s.instanceId === undefined && s.instances.some((p) => p.mode === 'cluster'))
      store.reloads.set(s.app, { total: s.instances.length, replaced: 0, failed: 0 });
    changed();
    const result = (await send(kind, s, values)) as { notes?: string[] } | undefined;
    notice(`${kind} ${label(s)}: done${result?.notes?.length ? ` (${result.notes.join('; ')})` : ''}`, 'ok');
  } catch (err) {
    notice(`${kind} ${label(s)} failed: ${String(err)}`, 'error');
  } finally {
    inFlight.delete(s.key);
    store.reloads.delete(s.app);
    changed();
    // The button was disabled while in flight, which took the focus from it: give it back.
    if (opener?.isConnected && (document.activeElement === document.body || document.activeElement === null))
      opener.focus();
  }
}
