// A TypeScript script on a Node that cannot run it: the note that says how, given when the app is started
// rather than found in its error log after the crash loop. Node strips types by itself from 22.18 and 23.6;
// before, it needs a loader in node_args (`--import tsx`) or a TypeScript runner as the interpreter.

const TS = /\.[cm]?ts$/i;
/** Flags that load a loader or enable type stripping: the user has taken care of it. */
const LOADER =
  /^(--import|--loader|--experimental-loader|-r|--require|--experimental-strip-types|--experimental-transform-types)(=|$)/;

/** Whether this Node version runs .ts files without flags. */
export function stripsTypes(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
}

export interface TsHintInput {
  readonly location: string;
  readonly script: string;
  readonly interpreter: string | null;
  readonly interpreterArgs: readonly string[];
  /** The daemon's Node: the interpreter `node` stands for. */
  readonly execPath: string;
  readonly nodeVersion: string;
}

/** The note, or null when the script is not TypeScript, runs elsewhere, or has a loader. */
export function typeScriptHint(input: TsHintInput): string | null {
  if (!TS.test(input.script) || input.interpreter !== input.execPath) return null;
  if (stripsTypes(input.nodeVersion) || input.interpreterArgs.some((a) => LOADER.test(a))) return null;
  return `${input.location}: ${input.script} is TypeScript, which Node ${input.nodeVersion} cannot run without a loader: add node_args: "--import tsx" (npm install tsx), use Node 22.18 or later, or give interpreter: "tsx" (TEND_ERR_NOTICE)`;
}
