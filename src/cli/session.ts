// What every command needs: a connected client (closed afterwards) and the output conventions.
import { type ConnectOptions, connect, type TendClient } from '../client/client.js';
import { type ErrorCode, errorCatalogue } from '../protocol/errors.js';
import type { ProcessInfo } from '../protocol/process-info.js';
import { VERSION } from '../version.js';
import { colourEnabled } from './render/style.js';
import { renderTable } from './render/table.js';

export async function withClient<T>(
  fn: (c: TendClient) => Promise<T>,
  opts: ConnectOptions = {},
): Promise<T> {
  const client = await connect({ client: `tend-cli/${VERSION}`, ...opts });
  try {
    const result = await fn(client);
    await showNotices(client);
    return result;
  } finally {
    await client.close();
  }
}

export function printTable(processes: readonly ProcessInfo[]): void {
  process.stdout.write(`${renderTable(processes, { colour: colourEnabled(), now: Date.now() })}\n`);
}

/**
 * What the daemon has to tell once (it recovered from a crash, its state file was damaged): printed by the
 * first command after the event, on stderr. `tend ping` shows them again.
 */
async function showNotices(client: TendClient): Promise<void> {
  const identity = await client.identity().catch(() => null);
  for (const line of identity?.notices ?? []) warn(line, 'TEND_ERR_NOTICE');
}

/** A warning on stderr (so `jlist`-style output on stdout stays clean), with its code (docs/errors.md). */
export function warn(message: string, code: ErrorCode): void {
  process.stderr.write(`warning: ${message} (${code})\n`);
}

/**
 * A note or warning the daemon wrote: it ends with its code already (`… (TEND_ERR_CONFIG_IGNORED)`). One
 * without (an older daemon's) is printed with TEND_ERR_NOTICE, so no warning line ever lacks a code.
 */
export function warnNote(note: string): void {
  process.stderr.write(
    `warning: ${/\(TEND_ERR_[A-Z_]+\)$/.test(note) ? note : `${note} (TEND_ERR_NOTICE)`}\n`,
  );
}

/**
 * Apps of an ecosystem file the daemon left out (problems of their own; the others started): one error line
 * per problem, and the command exits with the error's status (2).
 */
export function reportRejected(rejected: { code: string; message: string } | null | undefined): void {
  if (!rejected) return;
  process.stderr.write(`error: ${rejected.message} (${rejected.code})\n`);
  process.exitCode = errorCatalogue[rejected.code as keyof typeof errorCatalogue]?.exit ?? 2;
}
