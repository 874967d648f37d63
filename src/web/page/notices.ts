// Messages about actions (an aria-live region): errors carry their TEND_ERR_* code and stay until
// dismissed; successes go after a few seconds.
import { byId, h } from './dom.js';

export function notice(text: string, kind: 'ok' | 'error' | 'info' = 'info'): void {
  const list = byId('notices');
  const close = h('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss' }, '×');
  const item = h(
    'li',
    { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : null },
    h('span', {}, text),
    ' ',
    close,
  );
  close.addEventListener('click', () => item.remove());
  list.append(item);
  while (list.children.length > 5) list.firstElementChild?.remove();
  if (kind !== 'error') window.setTimeout(() => item.remove(), 6000);
}
