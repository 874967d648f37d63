// What to execute for an app: the script's absolute path, and the interpreter that runs it (or null to
// exec the script itself). Mirrors what users expect from PM2 (`script: 'npm'` finds npm on PATH, a .py
// runs with python3) but fails here, with the path in the message, instead of as a spawn error later.

import path from 'node:path';
import { TendError } from '../protocol/errors.js';
import { expandHome, findOnPath, isExecutable, isFile } from './paths.js';
import { maskedWords } from './shown-value.js';

/** Interpreters chosen by extension when none is given. `node` stands for the daemon's execPath. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.js': 'node',
  '.mjs': 'node',
  '.cjs': 'node',
  // TypeScript runs on Node with a loader in node_args (`--import tsx`), or natively on Node >= 23.6.
  '.ts': 'node',
  '.mts': 'node',
  '.cts': 'node',
  '.py': 'python3',
  '.sh': 'bash',
  '.rb': 'ruby',
  '.pl': 'perl',
  '.php': 'php',
};

export interface ScriptInput {
  readonly script: string;
  /** Absolute app cwd. */
  readonly cwd: string;
  /** As written: a command, a path, 'node' or 'none'; undefined to choose by extension. */
  readonly interpreter: string | undefined;
  /** PATH of the app's final environment. */
  readonly pathList: string | undefined;
  readonly execPath: string;
  readonly home: string;
  /** `apps[0] (job)`, for the notes: where tend chose for the app what the config did not say. */
  readonly location?: string;
  /** Notes said once when the app is started (the `sh` in place of a missing bash). */
  readonly notes?: string[];
}

export interface ScriptTarget {
  readonly script: string;
  readonly interpreter: string | null;
  readonly is_node: boolean;
}

export function resolveScript(input: ScriptInput): ScriptTarget {
  const written = expandHome(input.script, input.home);
  const inCwd = path.resolve(input.cwd, written);
  let script: string;
  let interpreter: string | null;
  if (isFile(inCwd)) {
    script = inCwd;
    interpreter = chooseInterpreter(input, path.extname(inCwd).toLowerCase());
  } else {
    // Only a bare command (`npm`, `redis-server`) is looked up on PATH, as a shell would.
    const found = written.includes('/') ? null : findOnPath(written, input.pathList, input.cwd);
    if (found === null)
      throw new TendError('TEND_ERR_SCRIPT_NOT_FOUND', { script: maskedWords(input.script), cwd: input.cwd });
    script = found;
    interpreter = chooseInterpreter(input, null);
  }
  if (interpreter === null && !isExecutable(script)) {
    throw new TendError('TEND_ERR_SCRIPT_NOT_EXECUTABLE', { script });
  }
  return { script, interpreter, is_node: interpreter !== null && isNode(interpreter, input.execPath) };
}

/** `extension` null: found on PATH, so executed directly unless an interpreter is given. */
function chooseInterpreter(input: ScriptInput, extension: string | null): string | null {
  const given = input.interpreter ?? (extension === null ? undefined : BY_EXTENSION[extension]);
  if (given === undefined || given === 'none') return null;
  if (input.interpreter === undefined && given === 'bash') return shellOf(input);
  if (given === 'node') return input.execPath;
  // A relative path (./node_modules/.bin/ts-node) is made absolute; a bare name stays for PATH at spawn.
  return given.includes('/') ? path.resolve(input.cwd, expandHome(given, input.home)) : given;
}

/**
 * A `.sh` script runs with bash, as PM2 runs it; on an image without bash (alpine, distroless with
 * busybox), with sh, said once, instead of every start failing with "cannot start bash: ENOENT" (eighth
 * audit). Neither on PATH: bash, and the spawn says so.
 */
function shellOf(input: ScriptInput): string {
  if (findOnPath('bash', input.pathList, input.cwd) !== null) return 'bash';
  if (findOnPath('sh', input.pathList, input.cwd) === null) return 'bash';
  input.notes?.push(
    `${input.location ?? input.script}: ${path.basename(input.script)} runs with sh: no bash on PATH (.sh scripts run with bash where there is one; set interpreter to choose) (TEND_ERR_NOTICE)`,
  );
  return 'sh';
}

function isNode(interpreter: string, execPath: string): boolean {
  return interpreter === execPath || /^node(js)?\d*$/.test(path.basename(interpreter));
}
