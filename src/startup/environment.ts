// The facts `tend startup` needs from this machine, gathered in one place (plan.ts stays pure).
import { readFileSync, realpathSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { delimiter, dirname } from 'node:path';
import { resolveHome } from '../protocol/home.js';
import type { StartupEnv } from './plan.js';

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

export function startupEnv(env: NodeJS.ProcessEnv = process.env): StartupEnv {
  const node = process.execPath;
  // The directory of this Node first: the apps' `node` is the one tend runs on, as from this shell.
  const parts = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const path = [...new Set([dirname(node), ...parts])].join(delimiter);
  return {
    user: userInfo().username,
    uid: process.getuid?.() ?? 0,
    home: homedir(),
    tendHome: resolveHome(env),
    tendHomeFromEnv: Boolean(env.TEND_HOME),
    node,
    // bin/tend.js, through any npm symlink, so the unit does not depend on where a link points later.
    entry: realpathSync(process.argv[1] ?? ''),
    path,
    xdgConfigHome: env.XDG_CONFIG_HOME || null,
    unitDir: env.TEND_SYSTEMD_DIR || null,
    homeOf,
  };
}
