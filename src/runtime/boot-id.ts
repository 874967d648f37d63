// The kernel's boot id: a random UUID chosen at each boot. Pids and process start times are only
// meaningful within one boot, so recorded processes are compared only when the boot id matches.
import { readFileSync } from 'node:fs';

export function readBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null; // no /proc: treated as "unknown boot", never as the same one
  }
}

/** When the machine booted (ms since the epoch), from /proc/stat's btime; null if unknown. */
export function readBootTime(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('btime '));
    const seconds = Number(line?.slice(6));
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
  } catch {
    return null;
  }
}
