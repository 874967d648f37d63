// The Kubernetes export references an app's env_file as a Secret that `kubectl create secret generic …
// --from-env-file=<file>` makes (k8s-pod.ts), and kubectl reads that file in a syntax of its own, much
// plainer than the dotenv tend parses (kubectl's env_file.go, processEnvFileLine): leading whitespace
// trimmed, blank and `#` lines skipped, the line split at its first `=`, and the value taken as it is:
// quotes, a comment after the value and trailing spaces are part of it; a name that is not a variable name
// (`export X`, `X ` before the `=`) makes kubectl refuse the whole file; a line with no `=` takes the value
// from the environment of whoever runs kubectl. `DB_URL="postgres://…"`, common in .env files, gives the
// pod a value with its quotes. The export warns per variable, as it does for systemd (env-file-check.ts).
import { parseDotenv } from '../config/dotenv.js';
import type { AppSpec } from '../config/spec.js';
import { looksSecret } from '../protocol/secrets.js';
import { eachEnvFile, type ReadText } from './env-file-check.js';
import type { ExportWarning } from './model.js';

/** Kubernetes' IsEnvVarName (apimachinery validation): what kubectl accepts as a name. */
const KUBECTL_ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export interface KubectlEnvLine {
  readonly line: number;
  readonly key: string;
  /** null: no `=`, kubectl takes the value from its own environment. */
  readonly value: string | null;
  /** kubectl refuses the file for this line (a name it does not take). */
  readonly refused: boolean;
}

/**
 * The file as kubectl's --from-env-file reads it, line by line. A name given twice, in one file or in two
 * files of one Secret, makes kubectl refuse the Secret ("cannot add key X, another key by that name already
 * exists"), where tend takes the later one: repeatedKeyWarnings says so.
 */
export function parseKubectlEnvFile(text: string): KubectlEnvLine[] {
  const out: KubectlEnvLine[] = [];
  // bufio.ScanLines: lines end at \n, a \r before it dropped; the BOM only on the first line.
  text.split('\n').forEach((raw, i) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (i === 0) line = line.replace(/^\uFEFF/, '');
    line = line.replace(/^\s+/u, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq === -1 ? line : line.slice(0, eq);
    out.push({
      line: i + 1,
      key,
      value: eq === -1 ? null : line.slice(eq + 1),
      refused: !KUBECTL_ENV_NAME.test(key),
    });
  });
  return out;
}

/** The warnings for every env_file of the apps: where the Secret kubectl makes differs from tend's reading. */
export function kubectlEnvFileWarnings(apps: readonly AppSpec[], read: ReadText): ExportWarning[] {
  return [
    ...eachEnvFile(
      apps,
      read,
      { syntax: "kubectl's --from-env-file", where: 'where the Secret is made' },
      kubectlDifferences,
    ),
    ...repeatedKeyWarnings(apps, read),
  ];
}

/**
 * Per app, each name its env_files define twice (two files, or twice in one), as kubectl reads them: the
 * printed `kubectl create secret generic <app>-env --from-env-file=a --from-env-file=b` fails on it, while
 * tend layers the files (a later file, a later line, wins: seventh audit). Named with both places, never a
 * value. A file that cannot be read, or that kubectl refuses anyway, is warned by kubectlDifferences.
 */
export function repeatedKeyWarnings(apps: readonly AppSpec[], read: ReadText): ExportWarning[] {
  const out: ExportWarning[] = [];
  for (const app of apps) {
    const places = new Map<string, string[]>();
    for (const file of app.env_file) {
      let lines: KubectlEnvLine[];
      try {
        lines = parseKubectlEnvFile(read(file));
      } catch {
        continue;
      }
      if (lines.some((l) => l.refused)) continue;
      for (const l of lines) places.set(l.key, [...(places.get(l.key) ?? []), `${file}:${l.line}`]);
    }
    for (const [key, at] of places) {
      if (at.length < 2) continue;
      const last = at.at(-1) as string;
      out.push({
        app: app.name,
        field: 'env_file',
        message: `${key} is defined at ${at.slice(0, -1).join(', ')} and again at ${last}: kubectl create secret generic --from-env-file refuses a key given twice ("another key by that name already exists"), so the Secret is not made; merge the files into one for the Secret, with the value of ${last}, the one tend reads (a later file, a later line, wins)`,
      });
    }
  }
  return out;
}

/** `<line>: <variable>: what tend gives, what kubectl gives; the fix`, one per variable read otherwise. */
export function kubectlDifferences(text: string): string[] {
  const tend = parseDotenv(text).vars;
  const lines = parseKubectlEnvFile(text);
  const found: { line: number; text: string }[] = [];
  const refused = lines.filter((l) => l.refused);
  for (const l of refused)
    found.push({
      line: l.line,
      text: `${l.line}: kubectl refuses the whole file: ${JSON.stringify(l.key)} is not a variable name it takes (letters, digits, _ - ., not starting with a digit); ${fixFor(l)}`,
    });
  if (refused.length > 0) return found.map((f) => f.text);
  const last = new Map<string, KubectlEnvLine>();
  for (const l of lines) last.set(l.key, l);
  for (const name of new Set([...Object.keys(tend), ...last.keys()])) {
    const t = tend[name];
    const k = last.get(name);
    if (k !== undefined && k.value !== null && t === k.value) continue;
    const secret = looksSecret(name, t) || (k?.value != null && looksSecret(name, k.value));
    const tendSays = t === undefined ? 'tend does not set it' : `tend gives ${shown(t, secret)}`;
    const kubectlSays =
      k === undefined
        ? 'kubectl does not set it'
        : k.value === null
          ? "kubectl takes the value from its own environment (the line has no '=')"
          : `kubectl gives ${shown(k.value, secret)}`;
    const said =
      secret && t !== undefined && k?.value != null
        ? 'tend and kubectl read the value differently (not shown: it looks secret)'
        : `${tendSays}, ${kubectlSays}`;
    const line = k?.line ?? 1;
    found.push({
      line,
      text: `${line}: ${name}: ${said}; ${k ? fixFor(k) : 'write it as a plain KEY=value line'}`,
    });
  }
  return found.sort((a, b) => a.line - b.line).map((f) => f.text);
}

const shown = (value: string, secret: boolean) =>
  secret ? 'the value (not shown: it looks secret)' : JSON.stringify(value);

/** How to write the line so both read it the same. */
function fixFor(l: KubectlEnvLine): string {
  if (l.key.startsWith('export ')) return 'drop "export " (kubectl takes no prefix)';
  if (l.refused && l.value !== null && /\s$/.test(l.key)) return "remove the space before '='";
  // No '=' and no name: the rest of a value over several lines, or a stray quote.
  if (l.refused && l.value === null)
    return 'kubectl reads one variable per line: put the value on one line (a value over several lines cannot be read)';
  if (l.refused) return 'rename the variable';
  if (l.value === null) return "write KEY=value (a line with no '=' is no variable for tend)";
  const v = l.value;
  if (/^["'`]/.test(v)) return 'write the value without quotes (kubectl keeps them as part of it)';
  if (/(^|\s)#/.test(v))
    return 'move the comment to a line of its own (kubectl keeps it as part of the value)';
  if (/\s$/.test(v)) return 'remove the spaces at the end of the line (kubectl keeps them)';
  return 'write it as a plain KEY=value line, or make the Secret with --from-literal';
}
