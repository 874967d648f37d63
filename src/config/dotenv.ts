// A strict parser of dotenv files (the syntax of the `dotenv` package). Strict because both Node's
// util.parseEnv and dotenv.parse skip or mangle a line they do not understand (`bad line` silently merges
// into the next key, an unterminated quote becomes part of the value): an env file with a typo must be an
// error naming the line, not a process started with a half-read environment.
//
// Syntax: `KEY=value` per line; blank lines and `# comments`; an optional `export ` prefix; spaces around
// `=`; values unquoted (trimmed, a ` #` starts a comment), 'single' (literal), "double" (\n, \r, \t, \\
// and \" are escapes) or `backtick` (literal); quoted values may span lines. No variable expansion.
import { maskedText } from './shown-value.js';

export interface DotenvProblem {
  /** 1-based line number. */
  line: number;
  message: string;
}

export interface DotenvResult {
  vars: Record<string, string>;
  problems: DotenvProblem[];
}

/** The start of a `KEY=value` line, up to the value; group 1 is the key (the exports' env_file checks read it too). */
export const KEY_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=[ \t]*/;
const DOUBLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };

export function parseDotenv(text: string): DotenvResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const vars: Record<string, string> = {};
  const problems: DotenvProblem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const lineNo = i + 1;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = KEY_LINE.exec(line);
    if (!m) {
      // `DB_PASSWORD hunter2`: the first word names the value that follows.
      const first = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)/.exec(line)?.[1];
      problems.push({ line: lineNo, message: `expected KEY=value, got ${preview(line, first)}` });
      continue;
    }
    const key = m[1] as string;
    const rest = line.slice(m[0].length);
    const quote = rest[0];
    if (quote !== '"' && quote !== "'" && quote !== '`') {
      // Unquoted: up to a comment (` #`, or `#` first), trimmed.
      vars[key] = rest.replace(/(^|\s)#.*$/, '').trim();
      continue;
    }
    // Quoted: find the closing quote, on this line or a later one. Each line is scanned once: the scan goes
    // on where it stopped (tenth audit: rescanning the whole value at each line made an unclosed quote over
    // 40 000 lines cost 73 s of the daemon's time).
    const parts = [rest.slice(1)];
    let length = (parts[0] as string).length;
    let scan = closing(parts[0] as string, quote, 0);
    let j = i;
    while (scan.end === -1 && j + 1 < lines.length) {
      j += 1;
      const more = `\n${lines[j]}`;
      parts.push(more);
      // The scan of `more` alone, from where the last one stopped (past an escape: one character in).
      const at = scan.next - length;
      const found = closing(more, quote, at);
      scan = { end: found.end === -1 ? -1 : length + found.end, next: length + found.next };
      length += more.length;
    }
    const body = parts.join('');
    const end = scan.end;
    if (end === -1) {
      problems.push({ line: lineNo, message: `${key}: the ${quote} quote opened here is never closed` });
      break;
    }
    const after = body.slice(end + 1);
    if (!/^\s*(#.*)?$/.test(after)) {
      problems.push({
        line: j + 1,
        message: `${key}: unexpected text after the closing ${quote} quote: ${preview(after, key)}`,
      });
    }
    const raw = body.slice(0, end);
    vars[key] = quote === '"' ? raw.replace(/\\(.)/g, (s, c: string) => DOUBLE_ESCAPES[c] ?? s) : raw;
    i = j;
  }
  return { vars, problems };
}

/**
 * Index of the closing quote in `body` from `from` (a backslash escapes a double quote only), or -1, and
 * where the scan stopped: past the end by one when the last character was an escaping backslash.
 */
function closing(body: string, quote: string, from: number): { end: number; next: number } {
  let k = from;
  for (; k < body.length; k++) {
    if (quote === '"' && body[k] === '\\') k += 1;
    else if (body[k] === quote) return { end: k, next: k };
  }
  return { end: -1, next: k };
}

/** A line or its rest as a problem shows it: masked as every value a config error echoes (shown-value.ts). */
function preview(text: string, key?: string): string {
  const t = maskedText(text.trim(), key);
  return JSON.stringify(t.length > 40 ? `${t.slice(0, 37)}...` : t);
}
