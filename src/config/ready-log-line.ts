// THE grammar of `ready_log_line`: a substring, or a regular expression written `/source/flags`. Plain code
// (no zod): config checks a written value with it, and health/ builds its line matcher with the same
// function, so what is accepted is what matches.

/** A written value, read: a substring, or a compiled regular expression; or the problem with it. */
export type ReadyLogLine =
  | { readonly kind: 'substring'; readonly text: string }
  | { readonly kind: 'regex'; readonly regex: RegExp }
  | { readonly kind: 'invalid'; readonly problem: string };

/** `g` and `y` would make `test()` remember where it stopped, and miss the next line's match. */
const FLAGS = /^[imsuv]*$/;

export function parseReadyLogLine(written: string): ReadyLogLine {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(written);
  if (!m) return { kind: 'substring', text: written };
  const [, source = '', flags = ''] = m;
  if (!FLAGS.test(flags))
    return {
      kind: 'invalid',
      problem: 'expected /regex/ flags among i, m, s, u and v (g and y keep state)',
    };
  try {
    return { kind: 'regex', regex: new RegExp(source, flags) };
  } catch (err) {
    const why = (err as Error).message.replace(/^Invalid regular expression: /, '');
    return { kind: 'invalid', problem: `expected a valid regular expression: ${why}` };
  }
}

/** Whether a line of output says the app is ready (`written` already checked by config). */
export function readyLogMatcher(written: string): (line: string) => boolean {
  const parsed = parseReadyLogLine(written);
  if (parsed.kind === 'regex') return (line) => parsed.regex.test(line);
  if (parsed.kind === 'substring') return (line) => line.includes(parsed.text);
  return () => false;
}
