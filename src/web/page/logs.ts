// Live logs: one EventSource on GET /api/v1/logs/stream (the last lines first, then live), merged across
// apps, a colour per app, stderr marked, timestamps; filters (app, instance, stream, text) apply in the
// page, at once, to the lines kept; pause keeps receiving and shows the count waiting. The DOM is bounded:
// the oldest lines go past MAX_LINES.
import { byId, coalesce, h, paletteClass, setText } from './dom.js';
import { formatClock } from './format.js';
import { notice } from './notices.js';
import type { Store } from './store.js';
import type { LogLine } from './types.js';

export const MAX_LINES = 5000;

interface Kept {
  l: LogLine;
  el: HTMLElement;
}

export interface Logs {
  close(): void;
}

export function mountLogs(store: Store): Logs {
  const view = byId('log-view');
  const app = byId<HTMLSelectElement>('log-app');
  const instance = byId<HTMLInputElement>('log-instance');
  const stream = byId<HTMLSelectElement>('log-stream');
  const grep = byId<HTMLInputElement>('log-grep');
  const pause = byId<HTMLButtonElement>('log-pause');
  const crash = byId<HTMLButtonElement>('log-crash');
  const status = byId('log-status');
  const kept: Kept[] = [];
  const waiting: LogLine[] = [];
  let paused = false;
  let lastSeq = -1;

  const visible = (l: LogLine): boolean => {
    if (app.value && l.app !== app.value) return false;
    if (instance.value !== '' && l.instance_id !== Number(instance.value)) return false;
    if (stream.value && l.stream !== stream.value) return false;
    const q = grep.value;
    return q === '' || l.line.toLowerCase().includes(q.toLowerCase());
  };
  const atBottom = () => view.scrollTop + view.clientHeight >= view.scrollHeight - 8;

  const lineEl = (l: LogLine) =>
    h(
      'div',
      { class: `line ${paletteClass(l.app)} ${l.stream ?? ''}`, 'data-app': l.app },
      l.at === null
        ? h('time', {}, '--:--:--.---')
        : h('time', { datetime: new Date(l.at).toISOString() }, formatClock(l.at)),
      ' ',
      h('span', { class: 'src' }, `${l.app}[${l.instance_id ?? '?'}]`),
      ' ',
      h(
        'span',
        {
          class: 'stream',
          title: l.stream === 'err' ? 'stderr' : l.stream === 'out' ? 'stdout' : 'stdout or stderr',
        },
        l.stream ?? '?',
      ),
      ' ',
      h('span', { class: 'text' }, l.line),
    );

  const add = (lines: LogLine[]) => {
    const follow = atBottom();
    const frag = document.createDocumentFragment();
    for (const l of lines) {
      const el = lineEl(l);
      el.hidden = !visible(l);
      kept.push({ l, el });
      frag.append(el);
    }
    view.append(frag);
    if (kept.length > MAX_LINES) for (const k of kept.splice(0, kept.length - MAX_LINES)) k.el.remove();
    if (follow) view.scrollTop = view.scrollHeight;
  };

  let queue: LogLine[] = [];
  const flush = coalesce(() => {
    const lines = queue;
    queue = [];
    add(lines);
  });
  const receive = (l: LogLine) => {
    if (paused) {
      waiting.push(l);
      if (waiting.length > MAX_LINES) waiting.splice(0, waiting.length - MAX_LINES);
      setText(status, `paused: ${waiting.length} new`);
      return;
    }
    queue.push(l);
    flush();
  };

  const refilter = () => {
    for (const k of kept) k.el.hidden = !visible(k.l);
    view.scrollTop = view.scrollHeight;
  };
  for (const el of [app, stream]) el.addEventListener('change', refilter);
  for (const el of [instance, grep]) el.addEventListener('input', refilter);

  const setPaused = (p: boolean) => {
    paused = p;
    pause.setAttribute('aria-pressed', String(p));
    setText(pause, p ? 'Resume' : 'Pause');
    if (!p) {
      add(waiting.splice(0));
      setText(status, '');
      view.scrollTop = view.scrollHeight;
    } else setText(status, 'paused');
  };
  pause.addEventListener('click', () => setPaused(!paused));

  // The newest crash on the timeline: its app's last lines up to the exit (stderr first), marked.
  crash.addEventListener('click', () => {
    const c = store.lastCrash();
    if (!c) {
      notice('No crash on the timeline.', 'info');
      return;
    }
    const name = c.app;
    let last: Kept | undefined;
    let lastErr: Kept | undefined;
    for (let i = kept.length - 1; i >= 0; i--) {
      const k = kept[i]!;
      if (k.l.app !== name || k.l.at === null || k.l.at > c.at + 50) continue;
      last ??= k;
      if (k.l.stream === 'err') lastErr = k;
      if (lastErr || k.l.at < c.at - 2000) break;
    }
    const target = lastErr ?? last;
    if (!target) {
      notice(
        `The lines of ${name} before its crash at ${formatClock(c.at)} are no longer kept here (tend logs ${name}).`,
        'info',
      );
      return;
    }
    setPaused(true);
    app.value = '';
    instance.value = '';
    stream.value = '';
    grep.value = '';
    for (const k of kept) {
      k.el.hidden = false;
      k.el.classList.remove('crash-mark');
    }
    target.el.classList.add('crash-mark');
    target.el.scrollIntoView({ block: 'center' });
    setText(status, `paused at the crash of ${name} (${formatClock(c.at)})`);
  });

  // App names for the filter, kept in step with the table.
  const syncApps = () => {
    const names = [...store.apps().keys()].sort();
    const have = [...app.options].slice(1).map((o) => o.value);
    if (names.join('\n') === have.join('\n')) return;
    const chosen = app.value;
    app.replaceChildren(
      h('option', { value: '' }, 'all apps'),
      ...names.map((n) => h('option', { value: n }, n)),
    );
    app.value = names.includes(chosen) ? chosen : '';
  };
  store.on((t) => t === 'processes' && syncApps());

  const es = new EventSource('/api/v1/logs/stream?lines=200');
  es.addEventListener('line', (m) => {
    const e = m as MessageEvent<string>;
    // A reconnection resumes from Last-Event-ID: every line has its own id, so one not above the last
    // shown is a repeat, skipped.
    const seq = Number(e.lastEventId);
    if (e.lastEventId !== '' && Number.isFinite(seq)) {
      if (seq <= lastSeq) return;
      lastSeq = seq;
    }
    try {
      receive(JSON.parse(e.data) as LogLine);
    } catch {
      // a malformed frame: skipped
    }
  });
  // The server no longer has the lines since the last one shown: it starts afresh with recent lines.
  es.addEventListener('reset', () => {
    const mark = h(
      'div',
      { class: 'line gap', role: 'separator' },
      '— reconnected: lines may be missing or repeated below —',
    );
    view.append(mark);
    lastSeq = -1;
  });
  return { close: () => es.close() };
}
