// The systemd unit `tend startup` installs, as a pure function of where things are: golden-file tested and
// checked with `systemd-analyze verify` (test/unit/startup-systemd.test.ts).
//
// Design: Type=forking. ExecStart runs `tend resurrect`, which starts a daemon (detached, so it outlives
// the CLI, in the service's cgroup) and exits once the daemon is ready, after the daemon wrote its pid file:
// exactly the forking contract, and systemd then tracks the daemon through PIDFile=. If the daemon dies
// (kill -9, a crash), the main PID is gone with a failure status: systemd stops what is left in the cgroup
// (no orphaned app) and Restart=on-failure runs `tend resurrect` again, which restores the saved list.
// ExecStart has systemd's `-` prefix: with nothing saved yet (`tend startup` before `tend save`), resurrect
// reports TEND_ERR_DUMP_NOT_FOUND but the daemon is up and its pid file written, so the service is running
// (an empty daemon), not failed; a daemon that cannot start leaves no pid file and the start fails all the
// same. ExecStop runs `tend kill` (each app stopped gracefully, then the daemon exits 0, which is not a failure).
// Node and the tend entry are absolute paths, and PATH is written into the unit: nothing relies on the
// boot environment's PATH, where a version manager's Node is absent.

export interface SystemdUnitInput {
  /** The user the daemon runs as; written as User= in a system unit. */
  user: string;
  /** Absolute TEND_HOME of that user. */
  tendHome: string;
  /** Absolute path of the Node binary. */
  node: string;
  /** Absolute path of tend's CLI entry (bin/tend.js). */
  entry: string;
  /** PATH for the daemon and the apps it starts. */
  path: string;
  /** A system unit (root installs it, User= says who runs it) or a user unit (systemctl --user). */
  scope: 'system' | 'user';
}

/** systemd expands %specifiers and $VARIABLES in these values: escape both, and quote when needed. */
export function systemdQuote(value: string): string {
  const escaped = value.replaceAll('%', '%%').replaceAll('$', '$$$$');
  if (/^[\w/.:@+=,-]+$/.test(escaped)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function command(input: SystemdUnitInput, verb: string): string {
  return [input.node, input.entry, verb].map(systemdQuote).join(' ');
}

export function renderSystemdUnit(input: SystemdUnitInput): string {
  const pidFile = `${input.tendHome}/daemon.pid`;
  const lines = [
    '# Written by `tend startup`; remove with `tend unstartup`.',
    '[Unit]',
    `Description=tend process manager (${input.user})`,
    'After=network.target',
    '',
    '[Service]',
    'Type=forking',
    // A user manager cannot raise limits past its own: there, these lines would fail the start.
    ...(input.scope === 'system'
      ? [`User=${input.user}`, 'LimitNOFILE=infinity', 'LimitNPROC=infinity', 'LimitCORE=infinity']
      : []),
    `Environment=${systemdQuote(`PATH=${input.path}`)}`,
    `Environment=${systemdQuote(`TEND_HOME=${input.tendHome}`)}`,
    `PIDFile=${pidFile.replaceAll('%', '%%')}`,
    'Restart=on-failure',
    'TimeoutStartSec=60',
    `ExecStart=-${command(input, 'resurrect')}`,
    `ExecStop=${command(input, 'kill')}`,
    '',
    '[Install]',
    `WantedBy=${input.scope === 'system' ? 'multi-user.target' : 'default.target'}`,
    '',
  ];
  return lines.join('\n');
}
