// The event timeline: crashes with exit code or signal, restarts with their reason, probe flips, reloads,
// kills and errored apps, newest first; the server's recent history first, then live.
import { byId, coalesce, h, paletteClass, replace } from './dom.js';
import { exitText, formatClock, formatDuration } from './format.js';
import { isCrash, type Store } from './store.js';
import type { TimelineEntry } from './types.js';

const SHOWN = 200;

/** What an entry says, and how it is coloured (bad, warn, ok, muted). */
export function describeEntry(e: TimelineEntry): { text: string; cls: string } {
  const d = e.data;
  switch (e.event) {
    case 'process.exit': {
      const exit = d.exit as { code: number | null; signal: string | null; uptime_ms?: number } | undefined;
      const after = exit?.uptime_ms !== undefined ? ` after ${formatDuration(exit.uptime_ms)}` : '';
      return isCrash(e)
        ? { text: `crashed: ${exitText(exit)}${after}`, cls: 'bad' }
        : { text: `exited: ${exitText(exit)}${after}`, cls: 'muted' };
    }
    case 'process.restart-scheduled':
      return {
        text: `restart in ${formatDuration(Number(d.delay_ms ?? 0))}: ${String(d.reason ?? '')}`,
        cls: 'warn',
      };
    case 'process.triggered':
      return { text: `restart (${String(d.reason)}): ${String(d.detail ?? '')}`, cls: 'warn' };
    case 'process.ready': {
      const what = d.health === 'unhealthy' ? 'unhealthy' : d.ready ? 'ready' : 'not ready';
      return {
        text: `${what} (${String(d.source ?? 'probe')})`,
        cls: d.health === 'unhealthy' || !d.ready ? 'warn' : 'ok',
      };
    }
    case 'process.reload':
      if (d.outcome === 'replaced')
        return { text: `reload: pid ${d.old_pid ?? '-'} replaced by ${d.pid ?? '-'}`, cls: 'ok' };
      if (d.outcome === 'retired')
        return { text: `reload: old pid ${d.old_pid ?? '-'} retired`, cls: 'muted' };
      return { text: `reload failed: ${String(d.reason ?? 'the replacement was not ready')}`, cls: 'bad' };
    case 'process.killed':
      return {
        text: `killed with ${String(d.signal ?? 'SIGKILL')}: not stopped within ${Number(d.timeout_ms ?? 0)} ms`,
        cls: 'bad',
      };
    case 'process.errored':
      return { text: `errored: ${String(d.reason ?? 'too many restarts')}`, cls: 'bad' };
    default:
      return { text: e.event.replace(/^process\./, ''), cls: 'muted' };
  }
}

/** Entries as list items, newest first; `only`: one app's. */
export function entryItems(entries: readonly TimelineEntry[], only?: string, max = SHOWN): HTMLElement[] {
  const items: HTMLElement[] = [];
  for (let i = entries.length - 1; i >= 0 && items.length < max; i--) {
    const e = entries[i]!;
    const name = String(e.data.name ?? '');
    if (only !== undefined && name !== only) continue;
    const { text, cls } = describeEntry(e);
    items.push(
      h(
        'li',
        { class: `event ${cls}`, 'data-event': e.event },
        h('time', { datetime: new Date(e.at).toISOString() }, formatClock(e.at)),
        ' ',
        h(
          'span',
          { class: `src ${paletteClass(name)}` },
          `${name}${typeof e.data.id === 'number' ? ` #${e.data.id}` : ''}`,
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
