// An exported unit reads the app's env_file through systemd (EnvironmentFile=, and tend-runtime gets
// --no-env-file), and systemd's syntax is not the dotenv tend parses (sixth audit: `PLAIN=bar # a comment`
// kept " # a comment", `export X=1` was ignored, "line1\nline2" kept a backslash-n, `tick` kept its
// backticks). The export reads each file as both would (config/dotenv.ts, systemd-env-file.ts) and warns,
// line by line, where the app would get another environment than under `tend start`: the file, the line,
// the variable, what each gives (never a value that looks secret) and how to write the line for both.
// Only warned: the file is the target machine's to hold, and tend's own reading of it is unchanged.
import { readFileSync } from 'node:fs';
import { parseDotenv } from '../config/dotenv.js';
import type { AppSpec } from '../config/spec.js';
import { looksSecret } from '../protocol/secrets.js';
import type { ExportWarning } from './model.js';
import {
  COMMENT_ESCAPE_FIXED_SINCE,
  parseSystemdEnvFile,
  SYSTEMD_ENV_NAME_RULE,
  type SystemdEnvFile,
  systemdEnvVars,
} from './systemd-env-file.js';

/** What the export reads a file with (injectable for tests). */
export type ReadText = (path: string) => string;

export const readText: ReadText = (path) => readFileSync(path, 'utf8');

/** The warnings for every env_file of the apps, systemd's reading against tend's. */
export function envFileWarnings(
  apps: readonly AppSpec[],
  version: number | null,
  read: ReadText = readText,
): ExportWarning[] {
  return eachEnvFile(
    apps,
    read,
    { syntax: "systemd's EnvironmentFile=", where: 'on the machine that has it' },
    (text) => differences(text, version),
  );
}

/**
 * For every env_file of the apps, the lines `differences` finds in its text as warnings (`<file>:<line>: …`);
 * a file that cannot be read, a warning that it was not checked. Shared by the targets that read the file
 * themselves (systemd here, kubectl: kubectl-env-file.ts).
 */
export function eachEnvFile(
  apps: readonly AppSpec[],
  read: ReadText,
  reader: { syntax: string; where: string },
  differences: (text: string) => string[],
): ExportWarning[] {
  const out: ExportWarning[] = [];
  for (const app of apps)
    for (const file of app.env_file) {
      const w = (message: string) => out.push({ app: app.name, field: 'env_file', message });
      let text: string;
      try {
        text = read(file);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? String(err);
        w(
          `${file}: not checked (${code === 'ENOENT' ? 'no such file' : code}): ${reader.syntax} syntax is not tend's (docs/export.md), check the file ${reader.where}`,
        );
        continue;
      }
      for (const d of differences(text)) w(`${file}:${d}`);
    }
  return out;
}

/** `<line>: <variable>: what tend gives, what systemd gives; the fix`, one per variable read otherwise. */
export function differences(text: string, version: number | null): string[] {
  const tend = parseDotenv(text).vars;
  const sd = parseSystemdEnvFile(text, version);
  const sdVars = systemdEnvVars(sd);
  const lines = text.split('\n');
  const names = [...new Set([...Object.keys(tend), ...sdVars.keys()])];
  const found: { line: number; text: string }[] = [];
  for (const name of names) {
    const t = tend[name];
    const d = sdVars.get(name);
    if (t === d?.value) continue;
    const line = d?.line ?? tendLine(lines, name, sd);
    const raw = (lines[line - 1] ?? '').replace(/\r$/, '');
    const secret = looksSecret(name, t) || (d !== undefined && looksSecret(name, d.value));
    const tendSays = t === undefined ? 'tend does not set it' : `tend gives ${shown(t, secret)}`;
    const sdSays = d === undefined ? systemdSkips(line, sd) : `systemd gives ${shown(d.value, secret)}`;
    // Never a value that looks secret, not even one of the two readings.
    const said =
      secret && t !== undefined && d !== undefined
        ? 'tend and systemd read the value differently (not shown: it looks secret)'
        : `${tendSays}, ${sdSays}`;
    found.push({ line, text: `${line}: ${name}: ${said}; ${fixFor(raw, line, sd, version)}` });
  }
  return found.sort((a, b) => a.line - b.line).map((f) => f.text);
}

const shown = (value: string, secret: boolean) =>
  secret ? 'the value (not shown: it looks secret)' : JSON.stringify(value);

/** The line tend read `name` from (systemd set no such variable): the last `[export ]NAME=` line. */
function tendLine(lines: readonly string[], name: string, sd: SystemdEnvFile): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const re = new RegExp(`^\\uFEFF?\\s*(?:export\\s+)?${escaped}\\s*=`);
  for (let i = lines.length - 1; i >= 0; i--) if (re.test(lines[i] as string)) return i + 1;
  // Inside what systemd read as another entry's value: that entry's line.
  return sd.entries.at(-1)?.line ?? 1;
}

function systemdSkips(line: number, sd: SystemdEnvFile): string {
  if (sd.commentLines.has(line))
    return `systemd before ${COMMENT_ESCAPE_FIXED_SINCE} ignores the line (the comment line above ends in a backslash, which continues it)`;
  const entry = sd.entries.find((e) => e.line === line && !e.valid);
  if (entry !== undefined)
    return `systemd ignores the line (${JSON.stringify(entry.key)} is not a variable name it takes: letters, digits and _, not starting with a digit)`;
  return 'systemd does not set it';
}

/** How to write the line so both read it the same. */
function fixFor(raw: string, line: number, sd: SystemdEnvFile, version: number | null): string {
  if (line === 1 && raw.startsWith('\uFEFF'))
    return 'save the file without a byte order mark (systemd reads it as part of the name)';
  if (/^\s*export\s/.test(raw)) return 'drop "export " (systemd takes no prefix)';
  const m = /^\s*([^=]*?)\s*=\s*(.*)$/.exec(raw);
  if (m && !SYSTEMD_ENV_NAME_RULE.test(m[1] as string))
    return 'rename the variable (systemd takes letters, digits and _, not starting with a digit)';
  if (sd.commentLines.has(line) && (version === null || version < COMMENT_ESCAPE_FIXED_SINCE))
    return 'end the comment line above without a backslash';
  const value = m?.[2] ?? '';
  const q = value[0];
  if (q === '`') return "quote the value with single quotes ('…'), which both read literally";
  if ((q === '"' || q === "'") && /^(["'])(?:\\.|(?!\1).)*\1\s*#/.test(value))
    return 'move the comment to a line of its own (systemd has no comment after a value)';
  if (q === '"' && value.includes('\\'))
    return "write the value without backslash escapes: a real line break inside the double quotes, or single quotes ('…') for a literal backslash";
  if (q !== '"' && q !== "'" && /(^|\s)#/.test(value))
    return 'move the comment to a line of its own (systemd has no comment after a value)';
  if (q !== '"' && q !== "'" && value.includes('\\'))
    return "quote the value with single quotes ('…'), so the backslashes stay (systemd reads them as escapes)";
  return "write it as a plain KEY=value, or with a single-quoted value ('…'), which both read the same";
}
