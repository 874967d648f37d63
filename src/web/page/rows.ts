// One row of the process table (an app, or one of its instances), built once and then updated in place:
// texts change, elements stay, so a focused button keeps its focus while events stream in.
import { type ActionKind, APP_ACTIONS, busy, INSTANCE_ACTIONS } from './actions.js';
import { h, setText } from './dom.js';
import { formatBytes, formatCpu, formatDuration } from './format.js';
import { drawSparkline, sparkline, sumSeries } from './sparkline.js';
import type { ReloadProgress } from './store.js';
import type { ProcessInfo, Series } from './types.js';

export interface RowView {
  name: string;
  instances: ProcessInfo[];
  /** Each instance's history (aligned with `instances`; undefined before its first sample). */
  series: (Series | undefined)[];
  /** The newest restart reason and when, of any instance shown. */
  lastRestart: { reason: string; at: number } | undefined;
  reload: ReloadProgress | undefined;
  /** When the newest sample was taken: older than an instance's start, it is the previous process's. */
  sampledAt: number;
  expanded: boolean;
  readOnly: boolean;
  now: number;
}

export interface Row {
  tr: HTMLTableRowElement;
  key: string;
  update(v: RowView): void;
  /** The uptime cell only (the one-second tick). */
  tick(now: number): void;
}

const ORDER: ProcessInfo['status'][] = [
  'errored',
  'waiting-restart',
  'blocked',
  'waiting',
  'launching',
  'stopping',
  'online',
  'stopped',
];

/** An app's status: its instances' own when they agree, else the counts (worst first). */
export function statusOf(instances: readonly ProcessInfo[]): { text: string; cls: string } {
  const counts = new Map<string, number>();
  for (const p of instances) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const worst = ORDER.find((s) => counts.has(s)) ?? 'stopped';
  if (counts.size === 1 && instances.length > 0) {
    const p = instances[0]!;
    const why = instances.find((i) => i.reason)?.reason ?? (p.status === 'errored' ? p.last_error : null);
    return { text: why ? `${p.status}: ${why}` : p.status, cls: `st-${worst}` };
  }
  const text = ORDER.filter((s) => counts.has(s))
    .map((s) => `${s} ${counts.get(s)}`)
    .join(', ');
  return { text, cls: `st-${worst}` };
}

export function uptimeOf(instances: readonly ProcessInfo[], now: number): number | null {
  const starts = instances
    .filter((p) => p.status === 'online' && p.started_at !== null)
    .map((p) => p.started_at!);
  return starts.length === 0 ? null : now - Math.max(...starts);
}

export function createRow(
  key: string,
  kind: 'app' | 'instance',
  onAction: (action: ActionKind, button: HTMLButtonElement) => void,
  onToggle: () => void,
  onDetail: () => void,
): Row {
  const nameCell = h('th', { scope: 'row', class: 'name' });
  const toggle = h('button', { type: 'button', class: 'toggle', 'aria-expanded': 'false' });
  const detail = h('button', { type: 'button', class: 'link', title: 'Details' }, 'details');
  if (kind === 'app') {
    toggle.addEventListener('click', onToggle);
    detail.addEventListener('click', onDetail);
    nameCell.append(toggle, ' ', detail);
  }
  const status = h('td', { class: 'status' });
  const ready = h('td', { class: 'num' });
  const cpuText = h('span', {});
  const memText = h('span', {});
  const cpuSpark = sparkline('CPU, last 15 minutes');
  const memSpark = sparkline('Memory, last 15 minutes');
  const cpu = h('td', { class: 'num' }, h('div', { class: 'metric' }, cpuSpark, cpuText));
  const memory = h('td', { class: 'num' }, h('div', { class: 'metric' }, memSpark, memText));
  const restartsCount = h('span', {});
  const restartsWhy = h('span', { class: 'muted small' });
  const restarts = h('td', { class: 'num restarts' }, restartsCount, ' ', restartsWhy);
  const uptime = h('td', { class: 'num' });
  const pid = h('td', { class: 'num' });
  const mode = h('td', {});
  const buttons = new Map<ActionKind, HTMLButtonElement>();
  const actionList = h('div', { class: 'actions' });
  const actions = h('td', {}, actionList);
  for (const a of kind === 'app' ? APP_ACTIONS : INSTANCE_ACTIONS) {
    const b = h(
      'button',
      { type: 'button', 'data-action': a, class: a === 'delete' || a === 'stop' ? 'danger' : null },
      a,
    );
    b.addEventListener('click', () => onAction(a, b));
    buttons.set(a, b);
    actionList.append(b);
  }
  const tr = h(
    'tr',
    { class: kind, 'data-key': key },
    nameCell,
    status,
    ready,
    cpu,
    memory,
    restarts,
    uptime,
    pid,
    mode,
    actions,
  );
  let instances: ProcessInfo[] = [];

  const tick = (now: number) => {
    const up = uptimeOf(instances, now);
    setText(uptime, up === null ? '-' : formatDuration(up));
  };
  return {
    tr,
    key,
    tick,
    update(v) {
      instances = v.instances;
      const first = v.instances[0];
      if (kind === 'app') {
        setText(toggle, `${v.expanded ? '▾' : '▸'} ${v.name}`);
        toggle.setAttribute('aria-expanded', String(v.expanded));
        toggle.setAttribute('aria-label', `${v.name}: ${v.expanded ? 'hide' : 'show'} instances`);
        detail.setAttribute('aria-label', `Details of ${v.name}`);
      } else if (first) setText(nameCell, `${first.name} [${first.instance}] #${first.id}`);
      const st = statusOf(v.instances);
      const reload = v.reload
        ? ` · reloading ${v.reload.replaced}/${v.reload.total} replaced${v.reload.failed ? `, ${v.reload.failed} failed` : ''}`
        : '';
      setText(status, st.text + reload);
      status.className = `status ${st.cls}`;
      const running = v.instances.filter((p) => p.pid !== null);
      const readyN = v.instances.filter((p) => p.ready).length;
      const unhealthy = v.instances.some((p) => p.health === 'unhealthy');
      setText(ready, `${readyN}/${v.instances.length}${unhealthy ? ' unhealthy' : ''}`);
      ready.className = `num ${unhealthy ? 'bad' : readyN < running.length ? 'warn' : ''}`;
      // The newest sample (every 10 s on the stream) is fresher than the figures of the last state change.
      const latest = (i: number, key: 'cpu' | 'memory') => v.series[i]?.[key].at(-1);
      let cpuNow = 0;
      let memNow = 0;
      v.instances.forEach((p, i) => {
        if (p.pid === null) return;
        if (p.started_at !== null && p.started_at > v.sampledAt) {
          cpuNow += p.cpu;
          memNow += p.memory;
          return;
        }
        cpuNow += (latest(i, 'cpu') ?? p.cpu / 100) * 100;
        memNow += latest(i, 'memory') || p.memory;
      });
      setText(cpuText, running.length ? formatCpu(cpuNow) : '-');
      // 0 bytes: a process just started, not measured yet.
      setText(memText, running.length && memNow > 0 ? formatBytes(memNow) : '-');
      const known = v.series.filter((s) => s !== undefined);
      drawSparkline(cpuSpark, sumSeries(known.map((s) => s.cpu)), 0.05);
      drawSparkline(memSpark, sumSeries(known.map((s) => s.memory)), 64 * 1024 * 1024);
      setText(restartsCount, String(v.instances.reduce((s, p) => s + p.restarts, 0)));
      setText(
        restartsWhy,
        v.lastRestart ? `${v.lastRestart.reason}, ${formatDuration(v.now - v.lastRestart.at)} ago` : '',
      );
      setText(pid, v.instances.map((p) => p.pid ?? '-').join(' '));
      setText(mode, [...new Set(v.instances.map((p) => p.mode))].join(', '));
      const inFlight = busy(key);
      for (const [a, b] of buttons) {
        b.disabled = v.readOnly || inFlight !== undefined || !applies(a, v.instances);
        b.setAttribute('aria-busy', String(inFlight === a));
        b.title = v.readOnly ? 'read-only session (read token)' : inFlight ? `${inFlight} in progress` : '';
        b.setAttribute('aria-label', `${a} ${v.name}`);
      }
      tick(v.now);
    },
  };
}

/** Start needs something stopped; stop, restart, reload and signal need something running. */
function applies(a: ActionKind, instances: readonly ProcessInfo[]): boolean {
  if (a === 'start')
    return instances.some((p) => p.wanted === 'down' || p.status === 'errored' || p.status === 'stopped');
  if (a === 'stop') return instances.some((p) => p.wanted === 'up');
  if (a === 'signal' || a === 'reload') return instances.some((p) => p.pid !== null);
  return true;
}
