// The event timeline: crashes with exit code or signal, restarts with their reason, probe flips, reloads,
// kills and errored apps, newest first; the server's recent history first, then live.
import { byId, coalesce, h, paletteClass, replace } from './dom.js';
import { exitText, formatClock, formatDuration } from './format.js';
import type { Store } from './store.js';
import type { TimelineEntry } from './types.js';

const SHOWN = 200;

/** What an entry says, and how it is coloured (bad, warn, ok, muted). */
export function describeEntry(e: TimelineEntry): { text: string; cls: string } {
  const d = e.detail;
  const after = typeof d.uptime_ms === 'number' ? ` after ${formatDuration(d.uptime_ms)}` : '';
  const exit = { code: (d.code as number | null) ?? null, signal: (d.signal as string | null) ?? null };
  switch (e.kind) {
    case 'crash':
      return { text: `crashed: ${exitText(exit)}${after}`, cls: 'bad' };
    case 'exit':
      return { text: `exited: ${exitText(exit)}${after} (asked to stop)`, cls: 'muted' };
    case 'restart':
      return {
        text: `restart${typeof d.delay_ms === 'number' ? ` in ${formatDuration(d.delay_ms)}` : ''}: ${String(d.reason ?? '')}${d.detail ? ` (${String(d.detail)})` : ''}`,
        cls: d.reason === 'requested' ? 'muted' : 'warn',
      };
    case 'ready':
      return { text: `ready (${String(d.source ?? '')})`, cls: 'ok' };
    case 'unready':
      return {
        text: `${d.health === 'unhealthy' ? 'unhealthy' : 'not ready'} (${String(d.source ?? '')})`,
        cls: 'warn',
      };
    case 'reload':
      if (d.outcome === 'replaced')
        return { text: `reload: pid ${d.old_pid ?? '-'} replaced by ${d.pid ?? '-'}`, cls: 'ok' };
      if (d.outcome === 'retired')
        return { text: `reload: old pid ${d.old_pid ?? '-'} retired`, cls: 'muted' };
      return { text: `reload failed: ${String(d.reason ?? 'the replacement was not ready')}`, cls: 'bad' };
    case 'killed':
      return {
        text: `killed with ${String(d.signal ?? 'SIGKILL')}: not stopped within ${Number(d.timeout_ms ?? 0)} ms`,
        cls: 'bad',
      };
    case 'errored':
      return { text: `errored: ${String(d.reason ?? 'too many restarts')}`, cls: 'bad' };
    case 'deleted':
      return { text: 'deleted', cls: 'muted' };
    default:
      return { text: String(e.kind), cls: 'muted' };
  }
}

/** Entries as list items, newest first; `only`: one app's. */
export function entryItems(entries: readonly TimelineEntry[], only?: string, max = SHOWN): HTMLElement[] {
  const items: HTMLElement[] = [];
  for (let i = entries.length - 1; i >= 0 && items.length < max; i--) {
    const e = entries[i]!;
    const name = e.app;
    if (only !== undefined && name !== only) continue;
    const { text, cls } = describeEntry(e);
    items.push(
      h(
        'li',
        { class: `event ${cls}`, 'data-kind': e.kind },
        h('time', { datetime: new Date(e.at).toISOString() }, formatClock(e.at)),
        ' ',
        h(
          'span',
          { class: `src ${paletteClass(name)}` },
          `${name}${e.instance_id === null ? '' : `[${e.instance_id}]`} #${e.id}`,
        ),
        ' ',
        h('span', { class: 'what' }, text),
      ),
    );
  }
  return items;
}

export function mountTimeline(store: Store): void {
  const list = byId('timeline-list');
  const render = coalesce(() => {
    const items = entryItems(store.timeline);
    if (items.length === 0)
      replace(
        list,
        h('li', { class: 'muted' }, 'Nothing yet: crashes, restarts, probe flips and reloads show here.'),
      );
    else replace(list, ...items);
  });
  store.on((t) => t === 'timeline' && render());
  render();
}
