// Option parsers shared by commands: clear messages naming the flag and what was expected.
import { type Command, InvalidArgumentError } from 'commander';

export function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return Number(value);
}

/** Milliseconds as a number, or a duration string such as 10s / 500ms / 1m (validated by the daemon). */
export function duration(value: string): number | string {
  if (/^\d+$/.test(value)) return Number(value);
  if (/^\d+(\.\d+)?\s*(ms|s|m|h)$/.test(value)) return value;
  throw new InvalidArgumentError(`expected milliseconds or a duration like 10s, got "${value}"`);
}

/** `-i 4`, `-i max`, `-i -1` (cores - 1). */
export function instances(value: string): number | string {
  if (value === 'max') return value;
  if (/^-?\d+$/.test(value)) return Number(value);
  throw new InvalidArgumentError(
    `expected a number, "max" or a negative number (cores minus n), got "${value}"`,
  );
}

export function list(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

export function intList(value: string, previous: number[] = []): number[] {
  return [...previous, ...list(value).map(nonNegativeInt)];
}

/** The arguments after a literal `--` on the command line: they belong to the script. */
export function argsAfterDoubleDash(argv: readonly string[] = process.argv): string[] | null {
  const i = argv.indexOf('--');
  return i === -1 ? null : argv.slice(i + 1);
}

/** The caller's environment, as the daemon's spawn wants it (strings only). */
export function callerEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return env;
}

/** The flags of restart and reload: which apps of a file, which env_<name>, and --update-env. */
export function fileTargetOptions(command: Command): Command {
  return command
    .option('--only <names>', 'with an ecosystem file: only these apps', list)
    .option('--env <name>', 'with an ecosystem file: use env_<name> for apps started now')
    .option(
      '--update-env',
      "take this shell's environment (variables unset here disappear), re-read env files; with a file, its env too",
    );
}

export interface FileTargetOptions {
  only?: string[];
  env?: string;
  updateEnv?: boolean;
}
