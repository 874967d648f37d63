// `tend startup` / `unstartup` as a user runs them. The unit directory and systemctl are redirected
// (TEND_SYSTEMD_DIR, TEND_SYSTEMCTL: a script that records its arguments), so the test never touches the
// machine's systemd; what systemctl is asked to do, and in which order, is what is checked.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const tmp = makeTmpHome();
const home = tmp.home;
after(() => tmp.remove());

const unitDir = join(home, 'units');
const calls = join(home, 'systemctl.calls');
const fake = join(home, 'fake-systemctl');
writeFileSync(
  fake,
  `#!/bin/sh\necho "$*" >> '${calls}'\nif [ -n "$FAIL" ]; then echo "Failed to connect to bus: No medium found" >&2; exit 1; fi\n`,
);
chmodSync(fake, 0o755);

const root = process.getuid?.() === 0;
const name = root ? `tend-${userInfo().username}` : 'tend';
const ctl = root ? '' : '--user ';
const unitPath = join(unitDir, `${name}.service`);
// systemd's search path: a stand-in for /lib/systemd/system (the distribution's units), not this machine's.
const vendorDir = join(home, 'vendor-units');
mkdirSync(vendorDir);
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, {
    home,
    env: { TEND_SYSTEMD_DIR: unitDir, TEND_SYSTEMCTL: fake, TEND_SYSTEMD_UNIT_DIRS: vendorDir, ...env },
  });
const recorded = () => (existsSync(calls) ? readFileSync(calls, 'utf8') : '');

test('startup --dry-run prints the unit and the commands, and changes nothing', async () => {
  const r = await cli(['startup', '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^# tend startup --dry-run: would write ${unitPath}$`, 'm'));
  // notify where systemd-notify is installed, exec otherwise; the daemon itself in the foreground.
  assert.match(r.stdout, /^Type=(notify|exec)$/m);
  assert.match(r.stdout, new RegExp(`^Environment=TEND_HOME=${home}$`, 'm'));
  assert.match(
    r.stdout,
    new RegExp(`^ExecStart=${process.execPath} --lite-mode .*\\S+/dist/daemon\\.cjs$`, 'm'),
  );
  assert.match(r.stdout, /^KillMode=mixed$/m);
  assert.match(r.stdout, new RegExp(`^# would run: systemctl ${ctl}daemon-reload$`, 'm'));
  assert.match(r.stdout, new RegExp(`^# would run: systemctl ${ctl}enable ${name}\\.service$`, 'm'));
  assert.equal(existsSync(unitPath), false);
  assert.equal(recorded(), '');
});

test('startup writes the unit and runs daemon-reload then enable; unstartup undoes it', async () => {
  const dry = await cli(['startup', 'systemd', '--dry-run']);
  const r = await cli(['startup', 'systemd']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^writing ${unitPath}\\nrunning: systemctl ${ctl}daemon-reload\\n`, 'm'));
  assert.match(r.stdout, new RegExp(`${name}\\.service is enabled\\.`));
  // The file is exactly the unit the dry run printed.
  assert.ok(dry.stdout.includes(readFileSync(unitPath, 'utf8')));
  assert.equal(recorded(), `${ctl}daemon-reload\n${ctl}enable ${name}.service\n`);

  const u = await cli(['unstartup']);
  assert.equal(u.code, 0, u.stderr);
  assert.equal(existsSync(unitPath), false);
  assert.equal(
    recorded(),
    `${ctl}daemon-reload\n${ctl}enable ${name}.service\n${ctl}disable ${name}.service\n${ctl}daemon-reload\n`,
  );
  const again = await cli(['unstartup']);
  assert.equal(again.code, 1);
  assert.match(
    again.stderr,
    new RegExp(`^error: startup: no unit at ${unitPath} .*\\(TEND_ERR_STARTUP_FAILED\\)\\n$`),
  );
});

test('systemctl missing or failing, an unsupported init system: one clear line, non-zero', async () => {
  const missing = await cli(['startup'], { TEND_SYSTEMCTL: join(home, 'no-such-systemctl') });
  assert.equal(missing.code, 1);
  assert.match(
    missing.stderr,
    /^error: startup: systemctl \S* ?daemon-reload: systemctl not found .*--dry-run/,
  );
  assert.doesNotMatch(missing.stderr, /\n\s+at /);

  const failing = await cli(['startup'], { FAIL: '1' });
  assert.equal(failing.code, 1);
  assert.match(
    failing.stderr,
    /^error: startup: systemctl \S* ?daemon-reload failed \(exit 1\): Failed to connect to bus: No medium found \(TEND_ERR_STARTUP_FAILED\)\n$/,
  );

  const upstart = await cli(['startup', 'upstart']);
  assert.equal(upstart.code, 2);
  assert.equal(
    upstart.stderr,
    'error: init system "upstart" is not supported (supported: systemd) (TEND_ERR_STARTUP_UNSUPPORTED)\n',
  );
  assert.match((await cli(['startup', '--help'])).stdout, /--dry-run/);

  // A unit directory no directory can be made in (tenth audit: Node's recursive mkdir spun for ever).
  const proc = await cli(['startup'], { TEND_SYSTEMD_DIR: '/proc/tend-no-such/units' });
  assert.equal(proc.code, 1);
  assert.match(
    proc.stderr,
    /^error: startup: cannot write \/proc\/tend-no-such\/units\/\S+\.service: .*\(TEND_ERR_STARTUP_FAILED\)\n$/,
  );
});

test('a unit tend did not write is neither replaced, shadowed nor removed, unless --force (the sixth audit)', async () => {
  rmSync(calls, { force: true });
  const sshd = '[Unit]\nDescription=OpenBSD Secure Shell server\n[Service]\nExecStart=/usr/sbin/sshd -D\n';
  mkdirSync(unitDir, { recursive: true });
  const ssh = join(unitDir, 'ssh.service');
  writeFileSync(ssh, sshd);
  const replace = await cli(['startup', '--service-name', 'ssh']);
  assert.equal(replace.code, 2, replace.stderr);
  assert.match(
    replace.stderr,
    new RegExp(
      `^error: startup: ${ssh} exists and was not written by "tend startup": it would be replaced \\(choose another name with --service-name, or give --force to replace it\\) \\(TEND_ERR_STARTUP_CONFLICT\\)\n$`,
    ),
  );
  assert.equal(readFileSync(ssh, 'utf8'), sshd);
  // --dry-run says so too: it shows what the real run would do.
  assert.equal((await cli(['startup', '--service-name', 'ssh', '--dry-run'])).code, 2);

  // Nothing in the way where the unit goes, but the distribution's unit of that name: one would shadow the other.
  const cron = join(vendorDir, 'cron.service');
  writeFileSync(cron, '[Service]\nExecStart=/usr/sbin/cron -f\n');
  const shadow = await cli(['startup', '--service-name', 'cron']);
  assert.equal(shadow.code, 2, shadow.stderr);
  assert.match(
    shadow.stderr,
    new RegExp(`^error: startup: ${cron} is a unit of the same name .*\\(TEND_ERR_STARTUP_CONFLICT\\)`),
  );
  assert.equal(existsSync(join(unitDir, 'cron.service')), false);
  // A masked unit (a link to /dev/null) is not tend's either.
  rmSync(cron);
  symlinkSync('/dev/null', join(vendorDir, 'dbus.service'));
  assert.equal((await cli(['startup', '--service-name', 'dbus'])).code, 2);

  const remove = await cli(['unstartup', '--service-name', 'ssh']);
  assert.equal(remove.code, 2, remove.stderr);
  assert.match(
    remove.stderr,
    /was not written by "tend startup": unstartup would disable and remove it .*\(TEND_ERR_STARTUP_CONFLICT\)/,
  );
  assert.equal(readFileSync(ssh, 'utf8'), sshd);
  assert.equal(recorded(), '');

  // --force does what it is told; then the unit is tend's, and a second run needs no --force.
  const forced = await cli(['startup', '--service-name', 'ssh', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(ssh, 'utf8'), /^# Written by `tend startup`/);
  assert.equal((await cli(['startup', '--service-name', 'ssh'])).code, 0);
  assert.equal((await cli(['unstartup', '--service-name', 'ssh'])).code, 0);
  assert.equal(existsSync(ssh), false);
  writeFileSync(ssh, sshd);
  assert.equal((await cli(['unstartup', '--service-name', 'ssh', '--force'])).code, 0);
  assert.equal(existsSync(ssh), false);
});
