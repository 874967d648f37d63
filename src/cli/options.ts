// Option parsers shared by commands: clear messages naming the flag and what was expected. Durations and
// sizes use the same grammars as ecosystem files (config/duration.ts, config/size.ts): `--kill-timeout 2d`
// and `kill_timeout: '2d'` mean the same.
import { type Command, InvalidArgumentError } from 'commander';
import { parseDuration } from '../config/duration.js';
import type { Kind } from '../config/registry/index.js';
import { parseSize } from '../config/size.js';

export function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return Number(value);
}

/** Milliseconds: a number, or a duration such as 500ms, 10s, 1.5m, 2h, 2d. */
export function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === null)
    throw new InvalidArgumentError(
      `expected milliseconds or a duration such as 500ms, 10s, 1m, 2h or 2d, got "${value}"`,
    );
  return ms;
}

/** Bytes: a number, or a size such as 512K, 10M, 1G. */
export function size(value: string): number {
  const bytes = parseSize(value);
  if (bytes === null)
    throw new InvalidArgumentError(`expected bytes or a size such as 512K, 10M or 1G, got "${value}"`);
  return bytes;
}

/** `-i 4`, `-i max`, `-i -1` (cores - 1). */
export function instances(value: string): number | string {
  if (value === 'max') return value;
  if (/^-?\d+$/.test(value)) return Number(value);
  throw new InvalidArgumentError(
    `expected a number, "max" or a negative number (cores minus n), got "${value}"`,
  );
}

/**
 * The parser of a flag's value, by the kind of the field it sets (config/registry). Kinds without one pass
 * the text on: the daemon checks it, with the same message as for a file.
 */
export const KIND_PARSERS: Partial<Record<Kind, (value: string, previous?: never) => unknown>> = {
  count: nonNegativeInt,
  duration,
  checkInterval: duration,
  size,
  instances,
  exitCodes: intList as (value: string) => number[],
};

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
