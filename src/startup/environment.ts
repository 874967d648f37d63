// The facts `tend startup` needs from this machine, gathered in one place (plan.ts stays pure).

import { accessSync, constants, readFileSync, realpathSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { DAEMON_NODE_FLAGS } from '../client/ensure-daemon.js';
import { resolveHome } from '../protocol/home.js';
import type { StartupEnv } from './plan.js';
import { unitDirsOverride } from './unit-files.js';

/** Whether `name` is an executable file in one of the PATH directories. */
function onPath(name: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function homeOf(user: string): string | null {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === user && f[5]) return f[5];
    }
  } catch {
    // no passwd file: no other user is known
  }
  return null;
}

/**
 * A PATH directory that is still there at boot: absolute, and not one npm put in front for the command it
 * runs (`npx tend startup`, an npm script: npx's cache `~/.npm/_npx/<hash>/node_modules/.bin`, a project's
 * `node_modules/.bin`), which the unit would otherwise carry for good (third audit).
 */
export function lasting(dir: string): boolean {
  return isAbsolute(dir) && !dir.includes('/_npx/') && !/\/node_modules\/\.bin\/?$/.test(dir);
}

export function startupEnv(env: NodeJS.ProcessEnv = process.env): StartupEnv {
  const node = process.execPath;
  // The directory of this Node first: the apps' `node` is the one tend runs on, as from this shell.
  const parts = (env.PATH ?? '').split(delimiter).filter(lasting);
  const path = [...new Set([dirname(node), ...parts])].join(delimiter);
  // bin/tend.js, through any npm symlink, so the unit does not depend on where a link points later.
  const entry = realpathSync(process.argv[1] ?? '');
  return {
    user: userInfo().username,
    uid: process.getuid?.() ?? 0,
    home: homedir(),
    tendHome: resolveHome(env),
    tendHomeFromEnv: Boolean(env.TEND_HOME),
    node,
    entry,
    // The daemon runs in the foreground under systemd: the same file and flags the CLI spawns it with.
    daemon: env.TEND_DAEMON_ENTRY || join(dirname(entry), '..', 'dist', 'daemon.cjs'),
    nodeFlags: DAEMON_NODE_FLAGS,
    systemdNotify: onPath('systemd-notify', `${path}${delimiter}/usr/bin${delimiter}/bin`),
    path,
    xdgConfigHome: env.XDG_CONFIG_HOME || null,
    unitDir: env.TEND_SYSTEMD_DIR || null,
    unitDirs: unitDirsOverride(env),
    homeOf,
  };
}
