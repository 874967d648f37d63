// How systemd reads an EnvironmentFile=: a model of its parse_env_file_internal (src/basic/env-file.c, a state
// machine over characters) and of what load_env_file and the unit's environment keep (an assignment whose name
// is not a shell variable name is dropped, "Ignoring invalid environment assignment"). It is not tend's dotenv
// (config/dotenv.ts): no `export` prefix, no comment after a value, backslash escapes in unquoted values,
// only \" \\ \` \$ and a line break as escapes inside double quotes, no backticks; `#` or `;` first on a line
// starts a comment. env-file-check.ts compares the two for the apps an export hands to EnvironmentFile=.

export interface SystemdEnvEntry {
  /** The name as systemd reads it (leading and trailing whitespace stripped). */
  readonly key: string;
  readonly value: string;
  /** 1-based line of the name's first character. */
  readonly line: number;
  /** Whether systemd keeps it: the name is a shell variable name (letters, digits, `_`; no leading digit). */
  readonly valid: boolean;
}

export interface SystemdEnvFile {
  readonly entries: readonly SystemdEnvEntry[];
  /** Lines systemd read as part of a comment (the one before ended in a backslash: systemd < 254). */
  readonly commentLines: ReadonlySet<number>;
}

/** systemd's env_name_is_valid (the length limit aside). */
export const SYSTEMD_ENV_NAME_RULE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Since 254 a comment ending in a backslash no longer swallows the next line (env-file.c, COMMENT_ESCAPE). */
export const COMMENT_ESCAPE_FIXED_SINCE = 254;

const NEWLINE = '\n\r';
const WHITESPACE = ' \t\n\r';
const COMMENTS = '#;';
/** SHELL_NEED_ESCAPE: what a backslash escapes inside double quotes; before anything else it stays. */
const SHELL_NEED_ESCAPE = '"\\`$';

type State =
  | 'PRE_KEY'
  | 'KEY'
  | 'PRE_VALUE'
  | 'VALUE'
  | 'VALUE_ESCAPE'
  | 'SINGLE_QUOTE_VALUE'
  | 'DOUBLE_QUOTE_VALUE'
  | 'DOUBLE_QUOTE_VALUE_ESCAPE'
  | 'COMMENT'
  | 'COMMENT_ESCAPE';

/**
 * What systemd reads from an env file's text, entry by entry (a later one of the same name wins). `version`:
 * the target's systemd; null (unknown) is read as before 254, the older behaviour.
 */
export function parseSystemdEnvFile(text: string, version: number | null): SystemdEnvFile {
  const commentEscapeFixed = version !== null && version >= COMMENT_ESCAPE_FIXED_SINCE;
  const entries: SystemdEnvEntry[] = [];
  const commentLines = new Set<number>();
  let state: State = 'PRE_KEY';
  let key = '';
  let keyLine = 1;
  let value = '';
  // Where trailing whitespace of the key / of an unquoted value starts (null: none pending).
  let keyWs: number | null = null;
  let valueWs: number | null = null;
  let line = 1;
  const push = (trimValue: boolean) => {
    const k = keyWs !== null ? key.slice(0, keyWs) : key;
    const v = trimValue && valueWs !== null ? value.slice(0, valueWs) : value;
    entries.push({ key: k, value: v, line: keyLine, valid: SYSTEMD_ENV_NAME_RULE.test(k) });
    key = '';
    value = '';
  };
  for (const c of text) {
    switch (state) {
      case 'PRE_KEY':
        if (COMMENTS.includes(c)) state = 'COMMENT';
        else if (!WHITESPACE.includes(c)) {
          state = 'KEY';
          keyWs = null;
          key = c;
          keyLine = line;
        }
        break;
      case 'KEY':
        if (NEWLINE.includes(c)) {
          // A line without "=": dropped.
          state = 'PRE_KEY';
          key = '';
        } else if (c === '=') {
          state = 'PRE_VALUE';
          valueWs = null;
        } else {
          if (!WHITESPACE.includes(c)) keyWs = null;
          else if (keyWs === null) keyWs = key.length;
          key += c;
        }
        break;
      case 'PRE_VALUE':
        if (NEWLINE.includes(c)) {
          state = 'PRE_KEY';
          push(false);
        } else if (c === "'") state = 'SINGLE_QUOTE_VALUE';
        else if (c === '"') state = 'DOUBLE_QUOTE_VALUE';
        else if (c === '\\') state = 'VALUE_ESCAPE';
        else if (!WHITESPACE.includes(c)) {
          state = 'VALUE';
          value += c;
        }
        break;
      case 'VALUE':
        if (NEWLINE.includes(c)) {
          state = 'PRE_KEY';
          push(true);
        } else if (c === '\\') {
          state = 'VALUE_ESCAPE';
          valueWs = null;
        } else {
          if (!WHITESPACE.includes(c)) valueWs = null;
          else if (valueWs === null) valueWs = value.length;
          value += c;
        }
        break;
      case 'VALUE_ESCAPE':
        state = 'VALUE';
        // An escaped line break is eaten: the value goes on on the next line.
        if (!NEWLINE.includes(c)) value += c;
        break;
      case 'SINGLE_QUOTE_VALUE':
        if (c === "'") state = 'PRE_VALUE';
        else value += c;
        break;
      case 'DOUBLE_QUOTE_VALUE':
        if (c === '"') state = 'PRE_VALUE';
        else if (c === '\\') state = 'DOUBLE_QUOTE_VALUE_ESCAPE';
        else value += c;
        break;
      case 'DOUBLE_QUOTE_VALUE_ESCAPE':
        state = 'DOUBLE_QUOTE_VALUE';
        if (SHELL_NEED_ESCAPE.includes(c)) value += c;
        else if (c !== '\n') value += `\\${c}`;
        break;
      case 'COMMENT':
        if (c === '\\') state = 'COMMENT_ESCAPE';
        else if (NEWLINE.includes(c)) state = 'PRE_KEY';
        break;
      case 'COMMENT_ESCAPE':
        if (commentEscapeFixed && NEWLINE.includes(c)) state = 'PRE_KEY';
        else {
          state = 'COMMENT';
          // Before 254, the escaped line break continues the comment on the next line.
          if (c === '\n') commentLines.add(line + 1);
        }
        break;
    }
    if (c === '\n') line += 1;
  }
  if (
    state === 'PRE_VALUE' ||
    state === 'VALUE' ||
    state === 'VALUE_ESCAPE' ||
    state === 'SINGLE_QUOTE_VALUE' ||
    state === 'DOUBLE_QUOTE_VALUE' ||
    state === 'DOUBLE_QUOTE_VALUE_ESCAPE'
  )
    push(state === 'VALUE');
  return { entries, commentLines };
}

/** The variables systemd sets from the file: the valid entries, a later one of a name winning. */
export function systemdEnvVars(file: SystemdEnvFile): Map<string, SystemdEnvEntry> {
  const vars = new Map<string, SystemdEnvEntry>();
  for (const e of file.entries) if (e.valid) vars.set(e.key, e);
  return vars;
}
