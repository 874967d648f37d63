// The unit files `tend startup` may write and `tend unstartup` may remove: only its own (the sixth audit:
// `--service-name ssh` replaced the operator's sshd unit, and `unstartup --service-name nginx` disabled and
// deleted nginx's). A unit is tend's when its first line is the header systemd-unit.ts writes. Another unit
// of the same name anywhere in systemd's search path counts too: one in /etc/systemd/system shadows the
// distribution's in /lib/systemd/system, so writing ssh.service there replaces sshd even where no file of
// that name was in the way.
import { closeSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The first line of every unit `tend startup` writes (systemd-unit.ts). */
export const TEND_UNIT_HEADER = '# Written by `tend startup`';

/**
 * The system manager's unit directories, in systemd's order of precedence (systemd.unit(5), "Unit File Load
 * Path"; /lib is /usr/lib where /usr is merged). Shared with `tend export systemd --out` (export/out-dir.ts).
 */
export const SYSTEM_UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
] as const;

/** TEND_SYSTEMD_UNIT_DIRS, ':'-separated, replaces systemd's unit directories (tests, an unusual layout). */
export function unitDirsOverride(env: NodeJS.ProcessEnv): string[] | null {
  const dirs = env.TEND_SYSTEMD_UNIT_DIRS;
  return dirs === undefined ? null : dirs.split(':').filter((d) => d !== '');
}

/** The system manager's unit directories, or the override. */
export function systemUnitDirs(env: NodeJS.ProcessEnv): readonly string[] {
  return unitDirsOverride(env) ?? SYSTEM_UNIT_DIRS;
}

/** systemd's unit search path for the scope, highest precedence first (`override`: TEND_SYSTEMD_UNIT_DIRS). */
export function unitSearchPath(
  scope: 'system' | 'user',
  env: { home: string; uid: number; xdgConfigHome: string | null; unitDirs: readonly string[] | null },
): readonly string[] {
  if (env.unitDirs !== null) return env.unitDirs;
  if (scope === 'system') return SYSTEM_UNIT_DIRS;
  return [
    join(env.xdgConfigHome ?? join(env.home, '.config'), 'systemd', 'user'),
    '/etc/systemd/user',
    `/run/user/${env.uid}/systemd/user`,
    '/run/systemd/user',
    join(env.home, '.local', 'share', 'systemd', 'user'),
    '/usr/local/lib/systemd/user',
    '/usr/lib/systemd/user',
    '/lib/systemd/user',
  ];
}

/**
 * Whether `path` is a unit tend wrote: `missing`, `tend`, or `foreign` (another program's or the operator's
 * file, and a link: tend writes plain files, and a link to /dev/null is a masked unit).
 */
export function unitOwner(path: string): 'missing' | 'tend' | 'foreign' {
  try {
    if (!lstatSync(path).isFile()) return 'foreign';
  } catch {
    return 'missing';
  }
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(TEND_UNIT_HEADER.length);
      const n = readSync(fd, head, 0, head.length, 0);
      return head.subarray(0, n).toString('utf8') === TEND_UNIT_HEADER ? 'tend' : 'foreign';
    } finally {
      closeSync(fd);
    }
  } catch {
    // Unreadable: not known to be tend's.
    return 'foreign';
  }
}

/**
 * The units named `file` in `dirs`, in the order given, that `ours` does not claim (default: not written by
 * `tend startup`). A directory is looked at once however it is reached (/lib is /usr/lib where /usr is
 * merged). Shared with `tend export systemd --out` (export/out-dir.ts), whose own files are its exports.
 */
export function foreignUnits(
  file: string,
  dirs: readonly string[],
  ours: (path: string) => boolean = (path) => unitOwner(path) === 'tend',
): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of dirs) {
    const real = realpathOr(dir);
    if (seen.has(real)) continue;
    seen.add(real);
    const path = join(dir, file);
    if (unitOwner(path) !== 'missing' && !ours(path)) out.push(path);
  }
  return out;
}

const realpathOr = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
};
