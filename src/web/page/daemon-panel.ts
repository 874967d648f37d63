// The daemon panel: version, pid, Node, uptime, the daemon's own CPU and RSS, and its listeners. The daemon's
// figures are asked for every 30 s while the page is visible (they change all the time; the stream carries
// the apps'), and on demand; the uptime moves locally.
import { api } from './api.js';
import { byId, h, replace, setText } from './dom.js';
import { formatBytes, formatCpu, formatDateTime, formatDuration } from './format.js';
import type { DaemonInfo } from './types.js';

const REFRESH_MS = 30_000;

export function mountDaemonPanel(): void {
  const body = byId('daemon-body');
  const refresh = byId<HTMLButtonElement>('daemon-refresh');
  let info: DaemonInfo | null = null;
  let prev: { cpu: number; at: number } | null = null;
  let cpuText = 'measuring…';
  const uptime = h('dd', {});

  async function load(): Promise<void> {
    try {
      const d = await api<DaemonInfo>('GET', '/api/v1/daemon');
      const now = performance.now();
      if (prev && now > prev.at)
        cpuText = `${formatCpu(((d.cpu_seconds - prev.cpu) * 1000 * 100) / (now - prev.at))} of one core (last ${formatDuration(now - prev.at)})`;
      else if (d.uptime_s > 0)
        cpuText = `${formatCpu((d.cpu_seconds * 100) / d.uptime_s)} of one core since it started`;
      prev = { cpu: d.cpu_seconds, at: now };
      info = d;
      render();
    } catch (err) {
      replace(body, h('p', { class: 'bad' }, `Could not read the daemon's state: ${String(err)}`));
    }
  }

  function render(): void {
    if (!info) return;
    const row = (k: string, v: Node | string) => [h('dt', {}, k), v instanceof Node ? v : h('dd', {}, v)];
    replace(
      body,
      h(
        'dl',
        { class: 'facts' },
        ...row('version', `tend ${info.version}`),
        ...row('pid', String(info.pid)),
        ...row('node', info.node),
        ...row('started', formatDateTime(info.started_at)),
        ...row('uptime', uptime),
        ...row('CPU', cpuText),
        ...row('RSS', formatBytes(info.rss_bytes)),
        ...row(
          'listeners',
          h(
            'dd',
            {},
            h(
              'ul',
              {},
              ...info.listeners.map((l) => h('li', {}, `${l.kind}: `, h('a', { href: l.url }, l.url))),
            ),
          ),
        ),
      ),
      h(
        'p',
        {},
        h('a', { href: '/metrics' }, 'Prometheus metrics'),
        ' · ',
        h('a', { href: '/api/v1/openapi.json' }, 'OpenAPI'),
      ),
    );
    tick();
  }
  const tick = () => info && setText(uptime, formatDuration(Date.now() - info.started_at));

  refresh.addEventListener('click', () => void load());
  window.setInterval(() => !document.hidden && void load(), REFRESH_MS);
  window.setInterval(() => !document.hidden && tick(), 1000);
  document.addEventListener('visibilitychange', () => !document.hidden && void load());
  void load();
}
