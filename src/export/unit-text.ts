// What a systemd unit file can carry, and how each directive wants its value written (systemd.syntax(7),
// systemd.exec(5)). A unit is line-based: a line break in a value ends the directive and the next line is a
// directive of its own (`MOTD=hello\nExecStartPre=/bin/sh …` would run a command), so every value written
// into a unit is checked first, and one with a control character is refused before anything is written.
// The directives also differ in how they read a value:
// - ExecStart= splits and unquotes words and expands `$VAR`: startup/systemd-unit.ts's systemdQuote;
// - Environment= unquotes, but "$" has no special meaning there (`$$` would stay two dollars);
// - WorkingDirectory=, EnvironmentFile= take the rest of the line as a path: no quotes (a quoted path is
//   "not absolute"), only `%` specifiers are expanded. A line ending in a backslash is joined with the next
//   one (systemd.syntax(7)): `WorkingDirectory=/srv/bs\` swallowed the `Environment=PATH=…` after it, and
//   `EnvironmentFile=x.env\` the `Restart=always` (fifth audit). A directory gets a `/` after it (systemd
//   drops it again); a file cannot, so an env_file path ending in a backslash is refused. Quoted values
//   (ExecStart=, Environment=) end in a quote, and a comment line is never joined (checked on systemd 252).
// - Environment= names: systemd takes letters, digits and `_`, not starting with a digit (env_name_is_valid),
//   and ignores any other assignment with a warning at every load.
import type { AppSpec } from '../config/spec.js';
import { TendError } from '../protocol/errors.js';
import { CONTROL } from '../startup/systemd-unit.js';
import { envFields } from './env.js';
import type { ExportInput } from './model.js';

export { environmentValue } from '../startup/systemd-unit.js';

function describeControl(value: string): string {
  const c = CONTROL.exec(value)?.[0] ?? '';
  const name = c === '\n' ? 'a line break' : c === '\r' ? 'a carriage return' : 'a control character';
  return `holds ${name} (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}), which would end the unit's line and start a directive of its own`;
}

/**
 * Refuses (TEND_ERR_EXPORT_UNSAFE_VALUE) the first value written into a unit that holds a control character,
 * or a path systemd would read differently (leading or trailing blanks are stripped).
 * `plainEnv`: the variables written as Environment= (secret-looking ones are not written, so a multi-line
 * PEM key among them is fine).
 */
export function assertUnitSafe(
  app: AppSpec,
  input: ExportInput,
  plainEnv: readonly (readonly [string, string])[],
  secretNames: readonly string[],
): void {
  const refuse = (field: string, problem: string, fix: string): never => {
    throw new TendError('TEND_ERR_EXPORT_UNSAFE_VALUE', { app: app.name, field, problem, fix });
  };
  const text = (field: string, value: string, fix: string) => {
    if (CONTROL.test(value)) refuse(field, describeControl(value), fix);
  };
  const path = (field: string, value: string) => {
    text(field, value, 'use a path without control characters');
    if (value !== value.trim()) refuse(field, 'starts or ends with a blank, which systemd strips', 'trim it');
  };
  /** A file's path written unquoted (EnvironmentFile=): a trailing backslash would join the next line. */
  const filePath = (field: string, value: string) => {
    path(field, value);
    if (value.endsWith('\\'))
      refuse(
        field,
        "ends in a backslash, which joins the unit's next line to this one (systemd.syntax(7)): the directive after it would be lost",
        'rename the file without a trailing backslash',
      );
  };
  text('name', app.name, 'rename the app');
  path('cwd', app.cwd);
  path('ecosystem file', input.source);
  for (const [i, f] of app.env_file.entries()) filePath(`env_file[${i}]`, f);
  for (const [k, v] of plainEnv) {
    text(`${envFields([k])} (name)`, k, 'rename the variable');
    text(
      envFields([k]),
      v,
      `move ${k} into an env_file, where a double-quoted value may span lines (the unit reads it with EnvironmentFile=), or remove the character`,
    );
  }
  for (const k of secretNames) text(`${envFields([k])} (name)`, k, 'rename the variable');
  if (input.envName !== null) text('--env', input.envName, 'use an env name without control characters');
  if (input.user !== null) text('--user', input.user, 'use a user name without control characters');
  path('the runtime (node)', input.runtime.node);
  path('the runtime (tend-runtime.js)', input.runtime.entry);
}

/**
 * A path for WorkingDirectory= / EnvironmentFile=: as it is (no quotes), `%` escaped. A directory ending in
 * a backslash gets a `/` (the line would be joined with the next otherwise); assertUnitSafe refuses a file's.
 */
export function unitPath(path: string, kind: 'directory' | 'file' = 'file'): string {
  const text = path.replaceAll('%', '%%');
  return kind === 'directory' && text.endsWith('\\') ? `${text}/` : text;
}

/** A name systemd sets with Environment= or reads from an EnvironmentFile= (env_name_is_valid). */
export const SYSTEMD_ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
