// App detail: the redacted configuration (describe), readiness with the probe history (the timeline's
// probe flips of this app, and describe's last probe), dependencies (describe + the graph's start order),
// and each instance's exit and restart history. Fetched when opened, and again when the app changes state
// (an event, not a clock).
import { api, target } from './api.js';
import { byId, h, replace } from './dom.js';
import { exitText, formatDateTime, formatDuration } from './format.js';
import type { Store } from './store.js';
import { entryItems } from './timeline.js';
import type { DescribedProcess, GraphApp } from './types.js';

export interface Detail {
  open(app: string): void;
}

const table = (head: string[], rows: (string | number | null)[][]) =>
  h(
    'table',
    { class: 'kv' },
    h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { scope: 'col' }, x)))),
    h(
      'tbody',
      {},
      ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c === null ? '-' : String(c))))),
    ),
  );

const show = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? '-'));

export function mountDetail(store: Store): Detail {
  const panel = byId('detail');
  const body = byId('detail-body');
  const title = byId('detail-title');
  const close = byId<HTMLButtonElement>('detail-close');
  let current: string | null = null;
  let opener: HTMLElement | null = null;
  let refetch: number | undefined;

  close.addEventListener('click', () => {
    current = null;
    panel.hidden = true;
    opener?.focus();
  });
  panel.addEventListener('keydown', (e) => e.key === 'Escape' && close.click());

  async function load(app: string): Promise<void> {
    let details: DescribedProcess[];
    let graph: { apps: GraphApp[]; order: string[][] } | null;
    try {
      [details, graph] = await Promise.all([
        api<{ details: DescribedProcess[] }>('GET', `/api/v1/processes/${target(app)}`).then(
          (r) => r.details,
        ),
        api<{ apps: GraphApp[]; order: string[][] }>('GET', '/api/v1/graph').catch(() => null),
      ]);
    } catch (err) {
      replace(body, h('p', { class: 'bad' }, `Could not describe ${app}: ${String(err)}`));
      return;
    }
    if (current !== app) return;
    const first = details[0];
    if (!first) {
      replace(body, h('p', {}, `${app} has no instances any more.`));
      return;
    }
    const r = first.readiness;
    const probes = entryItems(
      store.timeline.filter((e) => e.kind === 'ready' || e.kind === 'unready'),
      app,
      50,
    );
    const deps = first.dependencies;
    const node = graph?.apps.find((a) => a.name === app);
    const level = graph?.order.findIndex((l) => l.includes(app)) ?? -1;
    const config = Object.entries(first.config as unknown as Record<string, unknown>).sort(([a], [b]) =>
      a.localeCompare(b),
    );
    replace(
      body,
      h('h3', {}, 'Instances: exits and restarts'),
      ...details.map((d) =>
        h(
          'div',
          { class: 'instance' },
          h(
            'h4',
            {},
            `[${d.process.instance}] #${d.process.id} · ${d.process.status} · pid ${d.process.pid ?? '-'}`,
          ),
          d.last_exits.length === 0
            ? h('p', { class: 'muted' }, 'No exits yet.')
            : table(
                ['exited at', 'how', 'after'],
                d.last_exits
                  .map((x) => [formatDateTime(x.at), exitText(x), formatDuration(x.uptime_ms)])
                  .reverse(),
              ),
          d.restart_history.length === 0
            ? h('p', { class: 'muted' }, 'No restarts.')
            : table(
                ['restart at', 'reason', 'delay', 'exit'],
                d.restart_history
                  .map((x) => [
                    formatDateTime(x.at),
                    x.reason,
                    x.delay_ms === null ? null : `${x.delay_ms} ms`,
                    x.exit ? exitText(x.exit) : null,
                  ])
                  .reverse(),
              ),
          d.recent_stderr.length > 0
            ? h('pre', { class: 'stderr', 'aria-label': 'recent stderr' }, d.recent_stderr.join('\n'))
            : null,
        ),
      ),
      h('h3', {}, 'Readiness and probes'),
      table(
        ['ready when', 'deadline', 'app status'],
        [
          [
            r.sources.join(', ') || 'spawned',
            r.deadline_ms === null ? 'none' : `${r.deadline_ms} ms`,
            r.notify_status,
          ],
        ],
      ),
      r.last_probe
        ? h(
            'p',
            {},
            `Last probe: ${r.last_probe.kind} ${r.last_probe.ok ? 'ok' : (r.last_probe.error ?? 'failed')}`,
            r.last_probe.exit_code === null ? '' : `, exit ${r.last_probe.exit_code}`,
            ` in ${r.last_probe.duration_ms} ms at ${formatDateTime(r.last_probe.at)}`,
            r.last_probe.output.trim() ? h('pre', {}, r.last_probe.output.trim()) : null,
          )
        : h('p', { class: 'muted' }, 'No probe has run.'),
      probes.length > 0
        ? h('ol', { class: 'timeline', 'aria-label': 'probe history' }, ...probes)
        : h('p', { class: 'muted' }, 'No readiness changes on the timeline.'),
      h('h3', {}, 'Dependencies'),
      deps && deps.depends_on.length > 0
        ? table(
            ['needs', 'condition', 'state', 'detail'],
            deps.depends_on.map((d) => [d.name, d.condition, d.state, d.detail]),
          )
        : h('p', { class: 'muted' }, 'Depends on nothing.'),
      h(
        'p',
        {},
        `Needed by: ${(deps?.dependents ?? node?.dependents ?? []).join(', ') || 'nothing'}.`,
        level >= 0 ? ` Start level ${level}.` : '',
      ),
      h('h3', {}, 'Configuration'),
      h(
        'details',
        { class: 'config' },
        h('summary', {}, `${config.length} fields, env values redacted`),
        table(
          ['field', 'value'],
          config.map(([k, v]) => [k, show(v)]),
        ),
      ),
    );
  }

  store.on((t) => {
    if (t !== 'processes' || current === null) return;
    // An event about this app: describe again, at most twice a second.
    window.clearTimeout(refetch);
    const app = current;
    refetch = window.setTimeout(() => current === app && void load(app), 500);
  });

  return {
    open(app) {
      opener = document.activeElement as HTMLElement | null;
      current = app;
      panel.hidden = false;
      title.textContent = app;
      replace(body, h('p', { class: 'muted' }, 'Loading…'));
      title.focus();
      void load(app);
    },
  };
}
