// The text of PM2's listings from its entries: jlist is one line of JSON; prettylist is Node's util.inspect of
// the same array, PM2's own output format, so `grep 'restart_time: 1'` works as it does against PM2. Run in
// the daemon (the `pm2.list` method): the CLI only writes the text.
//
// prettylist is built entry by entry, each remembered: util.inspect of the whole array cost the daemon
// ~7 ms for 20 apps (measured under --lite-mode, as the daemon runs), half of it measuring the width of
// each entry's text to see whether the array's entries fit in columns (they never do: an entry is dozens
// of lines). An array whose elements are each longer than a line is printed `[\n  e0,\n  e1\n]`, each
// element as inspect prints it inside a one-element array: the same text, by construction (a test checks
// it against util.inspect). An entry changes with its state (status, restarts, pid), not between two
// calls: its text is kept, keyed on its JSON without `monit` (the usage sampled anew each call), whose
// one-line text is put in afterwards.
import { inspect } from 'node:util';
import type { Pm2Entry } from './jlist-entry.js';

const OPTIONS = {
  depth: Number.POSITIVE_INFINITY,
  maxArrayLength: Number.POSITIVE_INFINITY,
  maxStringLength: Number.POSITIVE_INFINITY,
};
const NO_USAGE = { memory: 0, cpu: 0 };
const NO_USAGE_TEXT = `monit: ${inspect(NO_USAGE)}`;

/** util.inspect of the array, as PM2 prints it. */
export function inspectPm2(entries: readonly Pm2Entry[]): string {
  return inspect(entries, OPTIONS);
}

export interface Pm2Renderer {
  render(entries: readonly Pm2Entry[], pretty: boolean): string;
}

/** A renderer that keeps each entry's prettylist text until the entry changes (one per daemon). */
export function pm2Renderer(): Pm2Renderer {
  let kept = new Map<number, { key: string; text: string }>();
  const entryText = (e: Pm2Entry, next: typeof kept): string => {
    const key = JSON.stringify({ ...e, monit: NO_USAGE });
    let k = kept.get(e.pm_id);
    if (k?.key !== key) {
      // `[\n  {…}\n]` → `  {…}`: the element as it is indented in a longer array.
      k = { key, text: inspect([{ ...e, monit: NO_USAGE }], OPTIONS).slice(2, -2) };
    }
    next.set(e.pm_id, k);
    const at = k.text.lastIndexOf(NO_USAGE_TEXT);
    return `${k.text.slice(0, at)}monit: ${inspect(e.monit)}${k.text.slice(at + NO_USAGE_TEXT.length)}`;
  };
  return {
    render(entries, pretty) {
      if (!pretty) return `${JSON.stringify(entries)}\n`;
      if (entries.length === 0) return '[]\n';
      // Only the entries of this call are kept: a deleted instance's text goes with it.
      const next = new Map<number, { key: string; text: string }>();
      const text = `[\n${entries.map((e) => entryText(e, next)).join(',\n')}\n]\n`;
      kept = next;
      return text;
    },
  };
}

/** Without a renderer to keep texts in (tests, one-off callers). */
export function renderPm2(entries: readonly Pm2Entry[], pretty: boolean): string {
  return pretty ? `${inspectPm2(entries)}\n` : `${JSON.stringify(entries)}\n`;
}
