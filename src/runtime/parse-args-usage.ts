// node:util parseArgs's errors as one line of a usage error, for tend-runtime and `tend-runtime probe`
// (the two commands parsed with it; `tend` itself uses commander). Node's "argument is ambiguous" is three
// lines ("Did you forget…", "To specify an option argument starting with a dash use '--x=-XYZ'") and says
// the same of a flag whose value is missing (`--app --health-listen …`) and of a value that starts with a
// dash (`--grace-period -1s`): two different mistakes (eighth audit). Which one it was is found again here
// from the words themselves, not from Node's wording (it differs between versions). Small and free of
// tend's other modules: the probe's bundle holds it.
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What a string option's value is, for "expected a value (…)": `{ app: 'an app name' }`. */
export type ValueWords = Readonly<Record<string, string>>;

/**
 * The one line that says what is wrong with `args` (what was given to parseArgs), from the error it threw.
 * Unknown options and unexpected arguments keep Node's first sentence (`Unknown option '--bogus'`).
 */
export function parseArgsProblem(
  err: unknown,
  args: readonly string[],
  options: Options,
  what: ValueWords = {},
  unsigned: ReadonlySet<string> = new Set(),
): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const found = badValue(args, options, what, unsigned);
    if (found !== null) return found;
  }
  const message = err instanceof Error ? err.message : String(err);
  // Node's advice on positionals ("To specify a positional argument starting with a '-', …") and any
  // further lines: the first sentence is the problem.
  return (message.split('\n')[0] ?? message).replace(/\. To specify a positional.*$/, '').replace(/\.$/, '');
}

/**
 * The first option of `args` given without the value it takes, or with one it does not take. `unsigned`:
 * options whose value never starts with a dash (durations, sizes): `--grace-period -1s` is refused as such,
 * not sent to the joined form, which was refused next (ninth audit).
 */
function badValue(
  args: readonly string[],
  options: Options,
  what: ValueWords,
  unsigned: ReadonlySet<string>,
): string | null {
  let tokens: ReturnType<typeof parseArgs>['tokens'];
  try {
    // Not strict: every word becomes a token, so the one that failed the strict parse can be found.
    ({ tokens } = parseArgs({
      args: [...args],
      options,
      strict: false,
      allowPositionals: true,
      tokens: true,
    }));
  } catch {
    return null;
  }
  for (const t of tokens ?? []) {
    if (t.kind !== 'option') continue;
    const option = options[t.name];
    if (option === undefined) continue;
    if (option.type === 'boolean' && t.value !== undefined)
      return `${t.rawName}: takes no value, got ${t.rawName}=${t.value}`;
    // Not strict, a string option takes the next word whatever it is: the strict parse refused one that
    // starts with a dash (but "-" alone), or found none at the end.
    if (option.type !== 'string' || t.inlineValue) continue;
    const next = t.value;
    if (next !== undefined && !(next.length > 1 && next.startsWith('-'))) continue;
    // At the end, or before another of the command's options: the value was forgotten.
    if (next === undefined || next === '--' || isOption(next, options))
      return `${t.rawName}: expected a value${what[t.name] ? ` (${what[t.name]})` : ''}`;
    if (unsigned.has(t.name))
      return `${t.rawName} ${shellWord(next)}: expected ${what[t.name] ?? 'a value'}${/^-\d/.test(next) ? ', not negative' : ''}`;
    // A value that starts with a dash (`-1s`, `--max-old-space-size=100`): only the joined form is one word.
    return `${t.rawName}: a value starting with "-" must be written ${shellWord(`--${t.name}=${next}`)}`;
  }
  return null;
}

/** `--name`, `--name=x`, `-n`, `-nx`: one of the command's options. */
function isOption(word: string, options: Options): boolean {
  if (word.startsWith('--')) return Object.hasOwn(options, word.slice(2).split('=')[0] as string);
  const short = word[1];
  return word.length >= 2 && Object.values(options).some((o) => o.short !== undefined && o.short === short);
}

/** As it can be typed: quoted when the shell would split or expand it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
