// The systemd unit of `tend startup`: golden files, the plan for root and for a user, bad input, Type=notify
// or its Type=exec fallback, the stop timeout from the saved apps, and `systemd-analyze verify` of what is
// generated with an empty stderr (when the tool is there; .ci/run installs it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isTendError } from '../../../src/protocol/errors.js';
import { lasting } from '../../../src/startup/environment.js';
import { planStartup, type StartupEnv } from '../../../src/startup/plan.js';
import { renderSystemdUnit, type SystemdUnitInput, systemdQuote } from '../../../src/startup/systemd-unit.js';
import { FIXTURES, ROOT } from '../../helpers/daemon.js';

const GOLDEN = join(FIXTURES, 'startup');

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it (review the diff). */
function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from the golden file`);
}

const env = (over: Partial<StartupEnv> = {}): StartupEnv => ({
  user: 'alice',
  uid: 1000,
  home: '/home/alice',
  tendHome: '/home/alice/.tend',
  tendHomeFromEnv: false,
  node: '/opt/node-20/bin/node',
  entry: '/opt/tend/bin/tend.js',
  daemon: '/opt/tend/dist/daemon.cjs',
  nodeFlags: ['--lite-mode'],
  systemdNotify: true,
  path: '/opt/node-20/bin:/usr/bin:/bin',
  xdgConfigHome: null,
  unitDir: null,
  // No search path: the tests do not read this machine's unit directories.
  unitDirs: [],
  homeOf: (u) => ({ alice: '/home/alice', bob: '/srv/bob', root: '/root' })[u] ?? null,
  ...over,
});

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return isTendError(err) ? `${err.code}: ${err.message}` : String(err);
  }
  return 'no error';
};

describe('systemd unit', () => {
  test('root: a system unit with User=, absolute node and entry, PATH, TEND_HOME (golden)', () => {
    const plan = planStartup({}, env({ user: 'root', uid: 0, home: '/root', tendHome: '/root/.tend' }));
    assert.equal(plan.scope, 'system');
    assert.equal(plan.unitPath, '/etc/systemd/system/tend-root.service');
    assert.deepEqual(plan.install, [['daemon-reload'], ['enable', 'tend-root.service']]);
    assert.deepEqual(plan.uninstall, [['disable', 'tend-root.service'], ['daemon-reload']]);
    golden('tend-root.service', plan.unit);
  });

  test('root --user bob: runs as bob with his home; a user: a user unit under ~/.config (golden)', () => {
    const bob = planStartup(
      { user: 'bob' },
      env({ user: 'root', uid: 0, home: '/root', tendHome: '/root/.tend' }),
    );
    assert.equal(bob.unitPath, '/etc/systemd/system/tend-bob.service');
    assert.match(bob.unit, /^User=bob$/m);
    assert.match(bob.unit, /^Environment=TEND_HOME=\/srv\/bob\/\.tend$/m);
    assert.doesNotMatch(bob.unit, /PIDFile/);

    const mine = planStartup({ init: 'systemd' }, env());
    assert.equal(mine.scope, 'user');
    assert.equal(mine.unitPath, '/home/alice/.config/systemd/user/tend.service');
    assert.deepEqual(mine.install, [
      ['--user', 'daemon-reload'],
      ['--user', 'enable', 'tend.service'],
    ]);
    assert.match(mine.notes.join('\n'), /loginctl enable-linger alice/);
    golden('tend-user.service', mine.unit);

    const named = planStartup({ serviceName: 'apps.service' }, env({ xdgConfigHome: '/cfg' }));
    assert.equal(named.unitPath, '/cfg/systemd/user/apps.service');
  });

  test('bad input: another init system, another user without root, an unknown user, a bad name', () => {
    assert.match(
      codeOf(() => planStartup({ init: 'upstart' }, env())),
      /^TEND_ERR_STARTUP_UNSUPPORTED: init system "upstart" is not supported \(supported: systemd\)$/,
    );
    assert.match(
      codeOf(() => planStartup({ user: 'bob' }, env())),
      /^TEND_ERR_USAGE: --user "bob": only root can install a unit for another user/,
    );
    assert.match(
      codeOf(() => planStartup({ user: 'nobody-here' }, env({ user: 'root', uid: 0 }))),
      /^TEND_ERR_USAGE: --user "nobody-here": no such user$/,
    );
    assert.match(
      codeOf(() => planStartup({ serviceName: 'a/b' }, env())),
      /--service-name: expected/,
    );
    // Eighth audit: systemd-analyze verify reads a:b.service as FILE:ALIAS.
    assert.match(
      codeOf(() => planStartup({ serviceName: 'tend:web' }, env())),
      /--service-name: expected letters, digits and _ \. - only, got "tend:web"/,
    );
    // Fourth audit: written, then refused by systemctl.
    assert.match(
      codeOf(() => planStartup({ serviceName: '-x' }, env())),
      /may not start with '-'/,
    );
    assert.match(
      codeOf(() => planStartup({ serviceName: 'tend@' }, env())),
      /may not contain '@'/,
    );
    // Verification of the sixth audit: written and enabled, and never loaded (systemd skips dot files).
    assert.match(
      codeOf(() => planStartup({ serviceName: '.hidden' }, env())),
      /^TEND_ERR_USAGE: --service-name "\.hidden": may not start with '\.'/,
    );
  });

  test('a value echoed in an error is JSON-quoted: a line break in it is an escape, the message one line', () => {
    // Eighth audit: `--service-name "$(printf 'a\nb')"` printed `got "a` and `b" (TEND_ERR_USAGE)`.
    assert.equal(
      codeOf(() => planStartup({ serviceName: 'a\nb' }, env())),
      'TEND_ERR_USAGE: --service-name: expected letters, digits and _ . - only, got "a\\nb"',
    );
    assert.equal(
      codeOf(() => planStartup({ user: 'a\nb' }, env({ user: 'root', uid: 0 }))),
      'TEND_ERR_USAGE: --user "a\\nb": no such user',
    );
    assert.equal(
      codeOf(() => planStartup({ user: 'a\rb' }, env())),
      'TEND_ERR_USAGE: --user "a\\rb": only root can install a unit for another user (you are alice)',
    );
  });

  test('values systemd would expand or split are escaped and quoted', () => {
    assert.equal(systemdQuote('/usr/bin/node'), '/usr/bin/node');
    assert.equal(systemdQuote('/opt/my apps/tend.js'), '"/opt/my apps/tend.js"');
    assert.equal(systemdQuote('/a/100%/$HOME'), '"/a/100%%/$$HOME"');
    const unit = renderSystemdUnit({
      ...unitInput,
      tendHome: '/home/alice/my tend',
      node: '/opt/node/bin/node',
      daemon: '/opt/my apps/daemon.cjs',
      path: '/opt/node/bin:/usr/bin',
    });
    assert.match(unit, /^ExecStart=\/opt\/node\/bin\/node --lite-mode "\/opt\/my apps\/daemon\.cjs"$/m);
    assert.match(unit, /^Environment="TEND_HOME=\/home\/alice\/my tend"$/m);
    // Environment= does not expand `$` (ExecStart= does): written as it is, or the daemon would get `$$`.
    const dollar = renderSystemdUnit({
      ...unitInput,
      path: '/opt/$tools/bin:/usr/bin',
      tendHome: '/srv/100%',
    });
    assert.match(dollar, /^Environment="PATH=\/opt\/\$tools\/bin:\/usr\/bin"$/m);
    assert.match(dollar, /^Environment="TEND_HOME=\/srv\/100%%"$/m);
    // A line break would start a directive of its own: refused.
    assert.throws(
      () => renderSystemdUnit({ ...unitInput, path: '/usr/bin\nExecStartPre=/bin/touch /tmp/x' }),
      (e) =>
        isTendError(e) && e.code === 'TEND_ERR_USAGE' && /PATH holds a control character/.test(e.message),
    );
  });
});

const unitInput: SystemdUnitInput = {
  user: 'alice',
  tendHome: '/home/alice/.tend',
  node: '/opt/node/bin/node',
  daemon: '/opt/tend/dist/daemon.cjs',
  nodeFlags: ['--lite-mode'],
  path: '/opt/node/bin:/usr/bin',
  scope: 'user',
  notify: true,
  startTimeoutSec: 90,
  stopTimeoutSec: 90,
};

describe('the daemon under systemd', () => {
  test('Type=notify with NotifyAccess=all; Type=exec where systemd-notify is missing', () => {
    const notify = renderSystemdUnit(unitInput);
    assert.match(notify, /^Type=notify\nNotifyAccess=all$/m);
    assert.match(notify, /^KillMode=mixed$/m);
    assert.match(notify, /^Environment=TEND_SYSTEMD_RESURRECT=1$/m);
    assert.doesNotMatch(notify, /ExecStop|PIDFile|forking/);
    const exec = renderSystemdUnit({ ...unitInput, notify: false });
    assert.match(exec, /^Type=exec$/m);
    assert.doesNotMatch(exec, /NotifyAccess/);
    const plan = planStartup({}, env({ systemdNotify: false }));
    assert.match(plan.unit, /^Type=exec$/m);
  });

  test("TimeoutStopSec covers the saved apps' kill_timeouts; TimeoutStartSec their start gates' budgets", () => {
    const home = mkdtempSync(join(tmpdir(), 'tend-dump-'));
    try {
      const none = planStartup({}, env({ tendHome: home, tendHomeFromEnv: true }));
      assert.match(none.unit, /^TimeoutStopSec=90$/m);
      const apps = [
        { spec: { name: 'a', kill_timeout: 60_000, listen_timeout: 100_000, wait_ready: true } },
        { spec: { name: 'b', kill_timeout: 45_500, listen_timeout: 3000, exec_mode: 'cluster' } },
        // Ready at spawn: its listen_timeout is no wait.
        { spec: { name: 'c', listen_timeout: 50_000 } },
        // A startup probe: its budget, 10 + 10 × 30 s (the third audit: 141 s were written for it).
        {
          spec: {
            name: 'slow',
            startup_probe: { initial_delay_ms: 10_000, period_ms: 10_000, failure_threshold: 30 },
          },
        },
        { spec: { name: 'odd', kill_timeout: 'x', wait_ready: 'yes' } },
      ];
      writeFileSync(join(home, 'dump.json'), JSON.stringify({ apps }));
      const plan = planStartup({}, env({ tendHome: home, tendHomeFromEnv: true }));
      // 60 + 45.5 s, rounded up, plus a 15 s margin; the start: 100 + 3 + 310 s, plus 15.
      assert.match(plan.unit, /^TimeoutStopSec=121$/m);
      assert.match(plan.unit, /^TimeoutStartSec=428$/m);
      // A readiness probe alone, listen_timeout not written: tend waits without a deadline, but the unit
      // must not hold the boot for good (the sixth audit): its first window, 5 + 2 × 3 s, counts.
      apps.push({
        spec: {
          name: 'probe',
          readiness_probe: {
            http_get: { port: 3000 },
            initial_delay_ms: 5000,
            period_ms: 2000,
            failure_threshold: 3,
          },
        },
      } as never);
      writeFileSync(join(home, 'dump.json'), JSON.stringify({ apps }));
      assert.match(
        planStartup({}, env({ tendHome: home, tendHomeFromEnv: true })).unit,
        /^TimeoutStartSec=439$/m,
      );
      // Durations past what systemd parses (kill_timeout: 1e24 was written as 1.000001e+21): infinity.
      apps.push({
        spec: { name: 'huge', kill_timeout: 1e24, wait_ready: true, listen_timeout: 1e18 },
      } as never);
      writeFileSync(join(home, 'dump.json'), JSON.stringify({ apps }));
      const huge = planStartup({}, env({ tendHome: home, tendHomeFromEnv: true })).unit;
      assert.match(huge, /^TimeoutStopSec=infinity$/m);
      assert.match(huge, /^TimeoutStartSec=infinity$/m);
      writeFileSync(join(home, 'dump.json'), '{ not json');
      assert.match(
        planStartup({}, env({ tendHome: home, tendHomeFromEnv: true })).unit,
        /^TimeoutStopSec=90$/m,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('the boot environment (third audit: `npx tend startup` baked npx paths into the unit)', () => {
  test("PATH keeps the shell's lasting directories, not npm's per-command ones", () => {
    for (const dir of [
      '/usr/bin',
      '/home/alice/.nvm/versions/node/v20/bin',
      '/opt/tend/node_modules/tend/bin',
    ])
      assert.ok(lasting(dir), dir);
    for (const dir of [
      '/root/.npm/_npx/0123abcd/node_modules/.bin',
      '/home/alice/project/node_modules/.bin',
      '/home/alice/project/node_modules/.bin/',
      'node_modules/.bin',
      '.',
      'bin',
    ])
      assert.ok(!lasting(dir), dir);
  });

  test("an entry in npx's cache: a note says the unit points there and how to install instead", () => {
    const plan = planStartup({}, env({ entry: '/root/.npm/_npx/0123abcd/node_modules/tend/bin/tend.js' }));
    assert.ok(
      plan.notes.some((n) => /npx's cache .*_npx.*npm may clean that cache; install tend/.test(n)),
      plan.notes.join('\n'),
    );
    assert.ok(!planStartup({}, env()).notes.some((n) => /npx/.test(n)));
  });
});

describe('systemd-analyze verify', () => {
  const tool = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  const missing = tool.error
    ? 'systemd-analyze is not installed (.ci/run installs the systemd package)'
    : false;
  const dir = mkdtempSync(join(tmpdir(), 'tend-unit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const scope of ['system', 'user'] as const)
    for (const notify of [true, false])
      test(`accepts the ${scope} unit, Type=${notify ? 'notify' : 'exec'}: stderr empty`, {
        skip: missing,
      }, () => {
        const name = `tend-verify-${scope}-${notify}.service`;
        const file = join(dir, name);
        const unit = renderSystemdUnit({
          ...unitInput,
          user: 'root',
          tendHome: join(dir, 'home with space'),
          node: process.execPath,
          daemon: join(ROOT, 'dist', 'daemon.cjs'),
          path: process.env.PATH ?? '/usr/bin:/bin',
          scope,
          notify,
        });
        writeFileSync(file, unit);
        const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
        // verify exits 0 on unknown keys and bad values and only warns: stderr must be empty.
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
      });

  test('catches a broken unit (the check can fail)', { skip: missing }, () => {
    const file = join(dir, 'tend-broken.service');
    writeFileSync(file, '[Service]\nType=notify\nExecStart=/nonexistent/node x\n');
    const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
  });
});
