// The confirmation dialog (a native <dialog> opened with showModal: focus is trapped inside, Escape cancels,
// focus returns to the button that opened it). It states what will happen; its fields (a count, a signal)
// are part of the question, so the consequence is read before anything is sent.
import { byId, h, replace } from './dom.js';

export interface Field {
  name: string;
  label: string;
  type: 'number' | 'select';
  value: string;
  min?: number;
  max?: number;
  options?: string[];
}

export interface Question {
  title: string;
  /** The consequence, one sentence per line. */
  lines: string[];
  confirm: string;
  danger?: boolean;
  fields?: Field[];
  /** Recomputes the consequence when a field changes (the scale count). */
  update?: (values: Record<string, string>) => string[];
}

/** Resolves with the fields' values on confirm, or null on cancel. */
export function ask(q: Question): Promise<Record<string, string> | null> {
  const dialog = byId<HTMLDialogElement>('confirm');
  const opener = document.activeElement as HTMLElement | null;
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const text = h('div', { class: 'consequence', id: 'confirm-text' });
  const say = (lines: string[]) => replace(text, ...lines.map((l) => h('p', {}, l)));
  say(q.lines);
  const values = () => Object.fromEntries([...inputs].map(([k, el]) => [k, el.value]));
  const fields = (q.fields ?? []).map((f) => {
    const id = `confirm-${f.name}`;
    const input =
      f.type === 'select'
        ? h(
            'select',
            { id, name: f.name },
            ...(f.options ?? []).map((o) => h('option', { value: o, selected: o === f.value }, o)),
          )
        : h('input', {
            id,
            name: f.name,
            type: 'number',
            value: f.value,
            min: f.min,
            max: f.max,
            required: true,
          });
    input.addEventListener('input', () => q.update && say(q.update(values())));
    inputs.set(f.name, input);
    return h('p', { class: 'field' }, h('label', { for: id }, f.label), ' ', input);
  });
  const ok = h('button', { type: 'submit', value: 'ok', class: q.danger ? 'danger' : 'primary' }, q.confirm);
  const cancel = h('button', { type: 'button', value: 'cancel' }, 'Cancel');
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: 'confirm-title' }, q.title),
    text,
    ...fields,
    h('div', { class: 'buttons' }, cancel, ok),
  );
  replace(dialog, form);
  dialog.setAttribute('aria-labelledby', 'confirm-title');
  dialog.setAttribute('aria-describedby', 'confirm-text');
  return new Promise((resolve) => {
    let answer: Record<string, string> | null = null;
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', (e) => {
      if (!form.checkValidity()) {
        e.preventDefault();
        return;
      }
      answer = values();
    });
    dialog.addEventListener(
      'close',
      () => {
        opener?.focus();
        resolve(answer);
      },
      { once: true },
    );
    dialog.showModal();
    (inputs.values().next().value ?? (q.danger ? cancel : ok)).focus();
  });
}
