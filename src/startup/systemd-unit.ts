// The systemd unit `tend startup` installs, as a pure function of where things are: golden-file tested and
// checked with `systemd-analyze verify` (test/unit/startup/systemd-unit.test.ts), stderr empty.
//
// Design: the daemon itself is the service's main process, in the foreground (ExecStart runs
// dist/daemon.cjs with the flags the CLI gives it), with TEND_SYSTEMD_RESURRECT=1: once it serves its
// socket it restores the list `tend save` wrote and waits for the apps' start gates (readiness, dependency
// order), then reports READY=1 (src/daemon/systemd-notify.ts). So `Type=notify`: `systemctl start` returns,
// and units ordered After= this one start, only when the saved apps are up. Node cannot send a datagram to
// $NOTIFY_SOCKET itself; the daemon spawns `systemd-notify --ready`, a child, hence NotifyAccess=all. Where
// systemd-notify is not installed, `Type=exec`: the service counts as started once the daemon runs.
// Nothing saved yet is not a failure: the daemon serves with no apps (and says so in daemon.log). The wait is
// bounded by the same budget as TimeoutStartSec: READY=1 comes then anyway, its STATUS= naming what is not
// ready (a probe that never passes must not hold the boot), and a list saved later that needs longer gets
// it from the daemon itself (EXTEND_TIMEOUT_USEC: daemon/systemd-notify.ts).
//
// Stopping: systemd sends SIGTERM to the daemon alone (KillMode=mixed); the daemon stops every app (reverse
// dependency order, each with its kill_signal and kill_timeout) and exits 0. TimeoutStopSec covers the
// saved apps' kill_timeouts one after the other; only past it does systemd SIGKILL the whole cgroup. A
// daemon that dies (kill -9, a crash) fails the service: systemd ends what is left in the cgroup (no
// orphaned app) and Restart=on-failure starts a daemon that restores the list again.
// Why not Type=forking (the previous design, PM2's): systemd then tracks a PID file rather than the process
// it started, readiness is the CLI's exit rather than the apps', and a `tend kill` ExecStop was needed.
// Node and the daemon entry are absolute paths and PATH is written into the unit: nothing relies on the
// boot environment's PATH, where a version manager's Node is absent.

import { TendError } from '../protocol/errors.js';
import { TEND_UNIT_HEADER } from './unit-files.js';

export interface SystemdUnitInput {
  /** The user the daemon runs as; written as User= in a system unit. */
  user: string;
  /** Absolute TEND_HOME of that user. */
  tendHome: string;
  /** Absolute path of the Node binary. */
  node: string;
  /** Absolute path of the daemon's entry (dist/daemon.cjs). */
  daemon: string;
  /** Node flags of the daemon (client/ensure-daemon.ts DAEMON_NODE_FLAGS). */
  nodeFlags: readonly string[];
  /** PATH for the daemon and the apps it starts. */
  path: string;
  /** A system unit (root installs it, User= says who runs it) or a user unit (systemctl --user). */
  scope: 'system' | 'user';
  /** systemd-notify is installed: Type=notify, else Type=exec. */
  notify: boolean;
  /** TimeoutStartSec: the saved apps' start gates. */
  startTimeoutSec: number | 'infinity';
  /** TimeoutStopSec: the saved apps' kill_timeouts. */
  stopTimeoutSec: number | 'infinity';
}

/** ExecStart= expands %specifiers and $VARIABLES in its words: escape both, and quote when needed. */
export function systemdQuote(value: string): string {
  const escaped = value.replaceAll('%', '%%').replaceAll('$', '$$$$');
  if (/^[\w/.:@+=,-]+$/.test(escaped)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * `KEY=value` for Environment=: quoted when needed, `%` escaped, `$` as it is: systemd does not expand `$`
 * there, so ExecStart='s `$$` would reach the process as two dollars (a PATH entry with `$` in its name).
 */
export function environmentValue(name: string, value: string): string {
  const text = `${name}=${value}`.replaceAll('%', '%%');
  if (/^[\w/.:@+=,-]+$/.test(text)) return text;
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** C0 controls but tab, and DEL: a value holding one would break its unit line (tab is kept when quoted). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

export function renderSystemdUnit(input: SystemdUnitInput): string {
  // A line break in a value would end its directive and start one of its own (systemd.syntax(7)).
  for (const [what, value] of [
    ['PATH', input.path],
    ['TEND_HOME', input.tendHome],
    ['the user name', input.user],
    ['the node binary', input.node],
    ['the daemon entry', input.daemon],
  ] as const)
    if (CONTROL.test(value))
      throw new TendError('TEND_ERR_USAGE', {
        detail: `${what} holds a control character (${JSON.stringify(value)}): it cannot be written into a systemd unit`,
      });
  const exec = [input.node, ...input.nodeFlags, input.daemon].map(systemdQuote).join(' ');
  const lines = [
    `${TEND_UNIT_HEADER}; remove with \`tend unstartup\`.`,
    '[Unit]',
    `Description=tend process manager (${input.user})`,
    'After=network.target',
    '',
    '[Service]',
    ...(input.notify
      ? [
          '# READY=1 once the saved apps passed their start gates (systemd-notify)',
          'Type=notify',
          'NotifyAccess=all',
        ]
      : ['# systemd-notify is not installed: started once the daemon runs', 'Type=exec']),
    // A user manager cannot raise limits past its own: there, these lines would fail the start.
    ...(input.scope === 'system'
      ? [`User=${input.user}`, 'LimitNOFILE=infinity', 'LimitNPROC=infinity', 'LimitCORE=infinity']
      : []),
    `Environment=${environmentValue('PATH', input.path)}`,
    `Environment=${environmentValue('TEND_HOME', input.tendHome)}`,
    'Environment=TEND_SYSTEMD_RESURRECT=1',
    `ExecStart=${exec}`,
    'Restart=on-failure',
    `TimeoutStartSec=${input.startTimeoutSec}`,
    'KillMode=mixed',
    `TimeoutStopSec=${input.stopTimeoutSec}`,
    '',
    '[Install]',
    `WantedBy=${input.scope === 'system' ? 'multi-user.target' : 'default.target'}`,
    '',
  ];
  return lines.join('\n');
}
