// What `tend startup` / `tend unstartup` will do, decided before anything is touched (so --dry-run prints
// exactly what the real run does). Pure but for reading the environment it is given.
import { join } from 'node:path';
import { TendError } from '../protocol/errors.js';
import { renderSystemdUnit } from './systemd-unit.js';
import { timeoutsFromDump } from './timeouts.js';
import { foreignUnits, unitSearchPath } from './unit-files.js';

export const INIT_SYSTEMS = ['systemd'] as const;

export interface StartupEnv {
  /** The user running the command. */
  user: string;
  uid: number;
  /** Their home directory. */
  home: string;
  /** TEND_HOME as the CLI resolves it, and whether it was set explicitly. */
  tendHome: string;
  tendHomeFromEnv: boolean;
  node: string;
  entry: string;
  /** The daemon's entry (dist/daemon.cjs) and its Node flags. */
  daemon: string;
  nodeFlags: readonly string[];
  /** Whether systemd-notify is installed (Type=notify, else Type=exec). */
  systemdNotify: boolean;
  path: string;
  /** XDG_CONFIG_HOME, or null. */
  xdgConfigHome: string | null;
  /** Where units go: overrides /etc/systemd/system or ~/.config/systemd/user (TEND_SYSTEMD_DIR). */
  unitDir: string | null;
  /** systemd's unit directories (TEND_SYSTEMD_UNIT_DIRS), or null: systemd's own. */
  unitDirs: readonly string[] | null;
  /** Home directory of another user (from /etc/passwd), or null if there is no such user. */
  homeOf(user: string): string | null;
}

export interface StartupOptions {
  init?: string;
  serviceName?: string;
  user?: string;
  /** Replace (startup) or remove (unstartup) a unit of that name that tend did not write. */
  force?: boolean;
}

export interface StartupPlan {
  scope: 'system' | 'user';
  serviceName: string;
  unitPath: string;
  unit: string;
  /** systemctl argument lists (without the systemctl binary), in order. */
  install: string[][];
  uninstall: string[][];
  notes: string[];
  /** Units of that name that tend did not write: at unitPath itself, or elsewhere in systemd's search path. */
  foreign: string[];
}

const usage = (detail: string) => new TendError('TEND_ERR_USAGE', { detail });
/**
 * A value the user gave, as a message shows it: JSON-quoted, so a line break or another control character in
 * it is an escape and the message one line (eighth audit: `--service-name "$(printf 'a\nb')"` printed an
 * error over two lines).
 */
const given = (value: string) => JSON.stringify(value);

export function checkInit(init: string | undefined): void {
  if (init === undefined || (INIT_SYSTEMS as readonly string[]).includes(init)) return;
  throw new TendError('TEND_ERR_STARTUP_UNSUPPORTED', { init, supported: INIT_SYSTEMS.join(', ') });
}

export function planStartup(opts: StartupOptions, env: StartupEnv): StartupPlan {
  checkInit(opts.init);
  const user = opts.user ?? env.user;
  const other = user !== env.user;
  if (other && env.uid !== 0)
    throw usage(`--user ${given(user)}: only root can install a unit for another user (you are ${env.user})`);
  const userHome = other ? env.homeOf(user) : env.home;
  if (userHome === null) throw usage(`--user ${given(user)}: no such user`);
  // Root writes a system unit (User= says who runs the daemon); anyone else a user unit of their own.
  const scope = env.uid === 0 ? 'system' : 'user';
  const serviceName = (opts.serviceName ?? (scope === 'system' ? `tend-${user}` : 'tend')).replace(
    /\.service$/,
    '',
  );
  // No ':': systemd takes it, but `systemd-analyze verify` reads `a:b.service` as FILE:ALIAS and fails on it
  // (eighth audit; tend export renames it to '-' for the same reason).
  // '@' passes this one to get its own reason below.
  if (!/^[A-Za-z0-9_.@-]+$/.test(serviceName))
    throw usage(`--service-name: expected letters, digits and _ . - only, got ${given(serviceName)}`);
  // A leading '-' reads as an option to systemctl; a trailing '@' (or any '@') makes a template unit, which
  // cannot be enabled as written (the fourth audit: both were written, then systemctl failed on them); a
  // leading '.' is a hidden file, which systemd skips when it looks units up (as `tend export` says).
  const refused = serviceName.startsWith('-')
    ? "may not start with '-' (systemctl would read it as an option)"
    : serviceName.startsWith('.')
      ? "may not start with '.' (systemd skips unit files whose names start with a dot)"
      : serviceName.includes('@')
        ? "may not contain '@' (a template unit, which cannot be enabled as is)"
        : null;
  if (refused) throw usage(`--service-name ${given(serviceName)}: ${refused}`);
  const tendHome = other && !env.tendHomeFromEnv ? join(userHome, '.tend') : env.tendHome;
  const unitDir =
    env.unitDir ??
    (scope === 'system'
      ? '/etc/systemd/system'
      : join(env.xdgConfigHome ?? join(env.home, '.config'), 'systemd', 'user'));
  const timeouts = timeoutsFromDump(tendHome);
  const unit = renderSystemdUnit({
    user,
    tendHome,
    node: env.node,
    daemon: env.daemon,
    nodeFlags: env.nodeFlags,
    path: env.path,
    scope,
    notify: env.systemdNotify,
    startTimeoutSec: timeouts.startSec,
    stopTimeoutSec: timeouts.stopSec,
  });
  const ctl = scope === 'user' ? ['--user'] : [];
  const file = `${serviceName}.service`;
  const notes =
    scope === 'user'
      ? [
          `a user unit runs while ${user} is logged in; to start it at boot without a login, run once as root: loginctl enable-linger ${user}`,
        ]
      : [];
  // npx's cache is a cache: npm may clean it, and the unit would then start nothing (third audit).
  if (env.entry.includes('/_npx/'))
    notes.push(
      `tend runs from npx's cache here (${env.entry}), and the unit starts it from there: npm may clean that cache; install tend (npm install --global, or in a project) and run "tend startup" from that install`,
    );
  notes.push(
    `it resurrects the list saved by "tend save" at the next boot (its stop timeout covers the saved apps' kill_timeouts: run "tend startup" again after changing them); to hand a running daemon over to systemd now: tend save && tend kill && systemctl ${ctl.join(' ')}${ctl.length ? ' ' : ''}start ${file}`,
  );
  const unitPath = join(unitDir, file);
  const foreign = foreignUnits(file, [unitDir, ...unitSearchPath(scope, env)]);
  return {
    scope,
    serviceName,
    unitPath,
    foreign,
    unit,
    install: [
      [...ctl, 'daemon-reload'],
      [...ctl, 'enable', file],
    ],
    uninstall: [
      [...ctl, 'disable', file],
      [...ctl, 'daemon-reload'],
    ],
    notes,
  };
}

/**
 * Refuses a plan that would replace or shadow (startup) or remove (unstartup) a unit tend did not write,
 * unless --force.
 */
export function checkForeign(plan: StartupPlan, opts: StartupOptions, action: 'startup' | 'unstartup'): void {
  if (opts.force) return;
  // Removing: only the file itself matters (a distribution's unit of that name elsewhere is left alone).
  const [first] = action === 'unstartup' ? plan.foreign.filter((p) => p === plan.unitPath) : plan.foreign;
  if (first === undefined) return;
  const reason =
    action === 'unstartup'
      ? 'was not written by "tend startup": unstartup would disable and remove it'
      : first === plan.unitPath
        ? 'exists and was not written by "tend startup": it would be replaced'
        : `is a unit of the same name that "tend startup" did not write: with ${plan.unitPath}, systemd would load only one of the two`;
  throw new TendError('TEND_ERR_STARTUP_CONFLICT', {
    path: first,
    reason,
    fix: `choose another name with --service-name, or give --force to ${action === 'unstartup' ? 'remove' : 'replace'} it`,
  });
}
