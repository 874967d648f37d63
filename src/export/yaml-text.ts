// The YAML of k8s.yaml and compose.yaml. Readers differ: kubectl's and compose's parsers descend from YAML
// 1.1 (`yes`, `on`, `0777` octal, `1:20` sexagesimal, `2001-12-14` a timestamp) or 1.2 (`0o17` octal, `0x10`),
// and a string one of them reads as a number, a boolean, a date or null changes meaning (an env value `0o17`
// became 15). Every string scalar, key or value, that either version would not read back as the same
// string is double-quoted.
// Line breaks differ too: YAML 1.1 readers (go-yaml, which kubectl and docker compose use; libyaml) take NEL
// (U+0085), LS (U+2028) and PS (U+2029) for line breaks, the npm `yaml` library does not. Written raw, an env
// value `x<PS>    privileged: true` was one string to tend and a `privileged: true` key to kubectl (fifth
// audit). Every string holding one of them (or another C1 control, which libyaml refuses raw) is
// double-quoted with the character escaped (`\N`, `\L`, `\P`, `\xHH`): no reader sees a raw one.
import { Document, parse, parseAllDocuments, Scalar, visit } from 'yaml';
import { LONE_SURROGATE } from './env.js';

/**
 * Characters a YAML 1.1 reader takes for a line break (NEL, LS, PS) or refuses unescaped (DEL, the other C1
 * controls, U+FFFE, U+FFFF); the `yaml` library writes them raw. DEL (U+007F) is outside libyaml's and
 * go-yaml's printable set (#x9 #xA #xD [#x20-#x7E] #x85 …): written raw, kubectl and docker compose refused
 * the whole file ("control characters are not allowed") while --check said ok (seventh audit).
 */
export const YAML11_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/;
const YAML11_UNSAFE_ALL = new RegExp(YAML11_UNSAFE.source, 'g');

/** The double-quoted escape of one YAML11_UNSAFE character. */
function escapeOf(c: string): string {
  if (c === '\u0085') return '\\N';
  if (c === '\u2028') return '\\L';
  if (c === '\u2029') return '\\P';
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
}

function readsBackAs(text: string, version: '1.1' | '1.2'): boolean {
  try {
    return parse(text, { version, logLevel: 'silent' }) === text;
  } catch {
    return false;
  }
}

/** Whether a plain (unquoted) `text` could be read as something else by a YAML 1.1 or 1.2 reader. */
export function needsQuotes(text: string): boolean {
  // `<<` is a merge key and `=` the value key to some 1.1 readers; neither reads back as itself there.
  if (text === '<<' || text === '=') return true;
  if (YAML11_UNSAFE.test(text)) return true;
  return !readsBackAs(text, '1.1') || !readsBackAs(text, '1.2');
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';

export function yamlText(value: unknown): string {
  // Without the 1.1 schema's merge tag: it takes every string `<<` for a merge key and writes it plain,
  // whatever its quoting (eighth audit: `value: <<` failed PyYAML and go-yaml, a merge of a scalar).
  const doc = new Document(value, {
    version: '1.1',
    customTags: (tags) => tags.filter((t) => typeof t !== 'object' || t.tag !== MERGE_TAG),
    aliasDuplicateObjects: false,
  });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.type !== Scalar.BLOCK_LITERAL && needsQuotes(node.value))
        node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  // Every string holding such a character is double-quoted now (needsQuotes), and nothing else of the text
  // holds one (no comments): each is inside a double-quoted scalar, where its escape reads back as it.
  return doc.toString({ lineWidth: 0 }).replace(YAML11_UNSAFE_ALL, escapeOf);
}

/**
 * Where a YAML 1.1 reader (go-yaml, libyaml) would read `text` otherwise than the `yaml` library: the first
 * raw NEL, LS or PS (a line break to it, none to the other) or other character it refuses, by line and
 * code point; then a lone surrogate, raw (no UTF-8 file holds one: it is written as U+FFFD) or as the
 * escape `\ud800` the `yaml` library reads and libyaml refuses ("found invalid Unicode character escape
 * code": kubectl refused the file while --check said ok, verification of the seventh audit); null when
 * there is none. `--check` reports it (check.ts).
 */
export function yaml11Difference(text: string): string | null {
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const m = YAML11_UNSAFE.exec(text);
  if (m !== null) {
    const code = `U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    return `line ${lineOf(m.index)} holds ${code} unescaped, which a YAML 1.1 reader (go-yaml: kubectl, docker compose) ${/[\u0085\u2028\u2029]/.test(m[0]) ? 'takes for a line break' : 'refuses'}, and another reads as part of a string`;
  }
  const lone = LONE_SURROGATE.exec(text);
  if (lone !== null)
    return `line ${lineOf(lone.index)} holds U+${lone[0].charCodeAt(0).toString(16).toUpperCase()}, a lone UTF-16 surrogate, which no UTF-8 file holds (written, it becomes U+FFFD)`;
  const escaped = surrogateEscape(text);
  if (escaped !== null)
    return `line ${lineOf(escaped.index)} holds the escape ${escaped.escape}, a UTF-16 surrogate, which a YAML 1.1 reader (libyaml, go-yaml: kubectl, docker compose) refuses ("found invalid Unicode character escape code")`;
  return null;
}

/**
 * One escape of a double-quoted scalar: a surrogate as `\uD800`–`\uDFFF` or `\U0000D800`… (captured:
 * libyaml refuses even a pair written so), or any other (`\\` is a backslash: `\\ud800` is text).
 */
const ESCAPE = /\\(?:u([dD][89a-fA-F][0-9a-fA-F]{2})|U(0000[dD][89a-fA-F][0-9a-fA-F]{2})|.)/gs;

/**
 * The first surrogate escape in a double-quoted scalar of `text`, by offset (escapes exist only there: a
 * `\ud800` in a plain or single-quoted scalar, or a comment, is text); null when there is none.
 */
function surrogateEscape(text: string): { index: number; escape: string } | null {
  if (!/\\u(?:0000)?d[89a-f]/i.test(text)) return null;
  let found: { index: number; escape: string } | null = null;
  for (const doc of parseAllDocuments(text)) {
    visit(doc, {
      Scalar(_key, node) {
        if (found !== null || node.type !== Scalar.QUOTE_DOUBLE || !node.range) return;
        const source = text.slice(node.range[0], node.range[1]);
        for (const e of source.matchAll(ESCAPE)) {
          if (e[1] === undefined && e[2] === undefined) continue;
          found = { index: node.range[0] + (e.index ?? 0), escape: e[0] };
          return visit.BREAK;
        }
      },
    });
    if (found !== null) return found;
  }
  return null;
}
