// $TEND_HOME/web.json: what `tend web` turned on, kept for later daemon starts (`tend web --off` removes it).
// The settings file's `http.listen`, when present, wins over it (docs/http.md: precedence). Our own file:
// written 0600 without following links; read with the same checks as the settings file. A damaged one is
// reported to daemon.log and ignored (the API stays off until `tend web` again).
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { REPLACE_NOFOLLOW } from '../runtime/private-dir.js';
import { isLoopback, parseListen } from './address.js';
import { readPrivateFile } from './read-file.js';

export interface WebFile {
  /** `host:port` of the API listener. */
  readonly listen: string;
}

export const webFilePath = (home: string): string => join(home, 'web.json');

/** The saved choice, or null (none, or unusable: `problem` says why, for daemon.log). */
export function readWebFile(home: string, problem: (line: string) => void): WebFile | null {
  const file = webFilePath(home);
  let text: string | null;
  try {
    text = readPrivateFile(file, 'web.json');
  } catch (err) {
    problem(`${file} ignored: ${(err as Error).message}`);
    return null;
  }
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as { listen?: unknown };
    const at = typeof v.listen === 'string' ? parseListen(v.listen) : 'no "listen"';
    if (typeof at === 'string') throw new Error(at);
    // Only `tend web` writes it, and it refuses non-loopback hosts: anything else was not written by tend.
    if (!isLoopback(at.host)) throw new Error(`${String(v.listen)} is not a loopback address`);
    return { listen: v.listen as string };
  } catch (err) {
    problem(`${file} ignored (run "tend web" again): ${(err as Error).message}`);
    return null;
  }
}

export function writeWebFile(home: string, web: WebFile): void {
  const fd = openSync(webFilePath(home), REPLACE_NOFOLLOW, 0o600);
  try {
    writeSync(fd, `${JSON.stringify({ listen: web.listen })}\n`);
  } finally {
    closeSync(fd);
  }
}

export function removeWebFile(home: string): void {
  try {
    unlinkSync(webFilePath(home));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
