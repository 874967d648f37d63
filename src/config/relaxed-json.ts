// A `.json` ecosystem file as PM2 reads it: PM2 evaluates the text as a JavaScript expression, so files in the
// wild have unquoted keys, single quotes, trailing commas and comments (issue 17). This reads that syntax -
// JavaScript's object and array literals of constants, as JSON5 does - without evaluating anything: no
// code runs, no identifier is looked up. Tried only after JSON.parse failed, so a plain JSON file costs
// nothing more. About 200 lines rather than the json5 package: the CLI bundle stays small and nothing is
// added to the dependencies.

/** A syntax error at `offset` in the text (load-file.ts turns it into a line and a column). */
export class RelaxedJsonError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Deeper than this is not an ecosystem file; it also keeps the recursion far from the stack's limit. */
const MAX_DEPTH = 200;

const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '0': '\0',
};

const ID_START = /[A-Za-z_$]/;
const ID_PART = /[A-Za-z0-9_$]/;
const NUMBER =
  /^[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|Infinity|NaN|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/;

export function parseRelaxedJson(text: string): unknown {
  let i = 0;

  const fail = (message: string, at = i): never => {
    throw new RelaxedJsonError(message, at);
  };
  const describe = (at: number) =>
    at >= text.length ? 'the end of the file' : `"${text[at] === '\n' ? '\\n' : text[at]}"`;

  const skip = () => {
    for (;;) {
      const c = text[i];
      if (c === undefined) return;
      if (/\s/.test(c) || c === '\uFEFF') i++;
      else if (c === '/' && text[i + 1] === '/') {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        if (end === -1) fail('a comment that never ends (no "*/")');
        i = end + 2;
      } else return;
    }
  };

  const string = (): string => {
    const quote = text[i] as string;
    const start = i;
    i++;
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) return fail(`a string that never ends (no closing ${quote})`, start);
      if (c === quote) {
        i++;
        return out;
      }
      if (quote === '`' && c === '$' && text[i + 1] === '{')
        return fail(
          'a template string with a substitution (an expression: not read, write the value itself)',
        );
      if ((c === '\n' || c === '\r') && quote !== '`') return fail('a line break inside a string');
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = text[i + 1];
      i += 2;
      if (e === undefined) return fail(`a string that never ends (no closing ${quote})`, start);
      if (e === 'u' || e === 'x') {
        const braced = e === 'u' && text[i] === '{';
        const close = braced ? text.indexOf('}', i) : -1;
        const hex = braced ? text.slice(i + 1, close) : text.slice(i, i + (e === 'u' ? 4 : 2));
        const point = Number.parseInt(hex, 16);
        const fits = braced ? close !== -1 && hex.length <= 6 : hex.length === (e === 'u' ? 4 : 2);
        if (!/^[0-9a-fA-F]+$/.test(hex) || !fits || point > 0x10ffff)
          return fail(`a bad \\${e} escape in a string`, i - 2);
        out += String.fromCodePoint(point);
        i += braced ? hex.length + 2 : hex.length;
      } else if (e === '\r' || e === '\n') {
        // A backslash at the end of a line continues the string on the next one.
        if (e === '\r' && text[i] === '\n') i++;
      } else out += ESCAPES[e] ?? e;
    }
  };

  const identifier = (): string => {
    const start = i;
    while (i < text.length && ID_PART.test(text[i] as string)) i++;
    return text.slice(start, i);
  };

  const key = (): string => {
    const c = text[i];
    if (c === '"' || c === "'") return string();
    if (c !== undefined && ID_START.test(c)) return identifier();
    const n = NUMBER.exec(text.slice(i));
    if (n && /^\d/.test(n[0])) {
      i += n[0].length;
      return String(Number(n[0].replaceAll('_', '')));
    }
    if (c === '[') return fail('a computed key ([...]: an expression, not read)');
    return fail(`expected a property name or "}", got ${describe(i)}`);
  };

  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`);
    skip();
    const c = text[i];
    if (c === undefined) return fail('unexpected end of the file: expected a value');
    if (c === '{') return object(depth);
    if (c === '[') return array(depth);
    if (c === '"' || c === "'" || c === '`') return string();
    const n = NUMBER.exec(text.slice(i));
    if (n) {
      i += n[0].length;
      const sign = n[0][0] === '-' ? -1 : 1;
      const body = n[0].replace(/^[+-]/, '').replaceAll('_', '');
      return sign * Number(body);
    }
    if (ID_START.test(c)) {
      const start = i;
      const word = identifier();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
      if (word === 'undefined') return undefined;
      return fail(
        `"${word}" is not a value (a .json file is read, not run: write the value itself, or use a .config.js file)`,
        start,
      );
    }
    return fail(`unexpected ${describe(i)}: expected a value`);
  };

  const object = (depth: number): Record<string, unknown> => {
    i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      skip();
      if (text[i] === '}') {
        i++;
        return out;
      }
      const k = key();
      skip();
      if (text[i] !== ':') fail(`expected ":" after the property name "${k}", got ${describe(i)}`);
      i++;
      const v = value(depth + 1);
      // defineProperty: a "__proto__" key is a key, as in JSON.parse, never the object's prototype.
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      skip();
      if (text[i] === ',') i++;
      else if (text[i] !== '}') fail(`expected "," or "}", got ${describe(i)}`);
    }
  };

  const array = (depth: number): unknown[] => {
    i++;
    const out: unknown[] = [];
    for (;;) {
      skip();
      if (text[i] === ']') {
        i++;
        return out;
      }
      out.push(value(depth + 1));
      skip();
      if (text[i] === ',') i++;
      else if (text[i] !== ']') fail(`expected "," or "]", got ${describe(i)}`);
    }
  };

  skip();
  // PM2 wraps the text in parentheses before evaluating it: a file written as `({ apps: [...] })` works too.
  let wrapped = false;
  if (text[i] === '(') {
    wrapped = true;
    i++;
  }
  const result = value(0);
  skip();
  if (wrapped) {
    if (text[i] !== ')') fail(`expected ")", got ${describe(i)}`);
    i++;
    skip();
  }
  if (text[i] === ';') {
    i++;
    skip();
  }
  if (i < text.length) fail(`unexpected ${describe(i)} after the value`);
  return result;
}
