// The compose export passes an app's env_file to compose (`env_file:`), and compose reads it as a dotenv
// with one difference that matters: it interpolates `$VAR` and `${VAR}` in unquoted and double-quoted values
// (docs.docker.com/compose/env-file), where tend reads them literally (config/dotenv.ts). A password such as
// `DB_PASSWORD=pa$word` reaches the container as `pa` under compose. The export warns per variable, as it
// does for systemd and kubectl (env-file-check.ts), without showing the value: single quotes keep it literal
// for both.
import { KEY_LINE, parseDotenv } from '../config/dotenv.js';
import type { AppSpec } from '../config/spec.js';
import { eachEnvFile, type ReadText } from './env-file-check.js';
import type { ExportWarning } from './model.js';

/** What compose expands: `$NAME`, `${…}`; `$$` is a literal `$` for it, which tend reads as two. */
const EXPANDS = /\$(?:[A-Za-z_{]|\$)/;

/** `<line>: <variable>: …; the fix`, for each variable whose value compose would interpolate. */
export function composeDifferences(text: string): string[] {
  // The values as tend reads them (a comment after an unquoted value left out, a double-quoted one whole,
  // over several lines if it spans them): `$` is literal there, so it is what compose would expand.
  const values = parseDotenv(text).vars;
  const out: string[] = [];
  // Split as parseDotenv splits, so that the line numbers are its.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const m = KEY_LINE.exec(line);
    if (!m) continue;
    const name = m[1] as string;
    const raw = line.slice(m[0].length);
    // Single-quoted values are literal for both (and a backtick one is compose's as it is).
    if (raw.startsWith("'") || raw.startsWith('`')) continue;
    if (EXPANDS.test(values[name] ?? ''))
      out.push(
        `${i + 1}: ${name}: compose interpolates the $ in it ($NAME, \${NAME}, $$), tend reads it literally; quote the value with single quotes ('…'), which both read literally`,
      );
  }
  return out;
}

/** The warnings for every env_file of the apps whose values compose would interpolate. */
export function composeEnvFileWarnings(apps: readonly AppSpec[], read: ReadText): ExportWarning[] {
  return eachEnvFile(
    apps,
    read,
    { syntax: "compose's env_file", where: 'where compose runs' },
    composeDifferences,
  );
}
