// The systemd unit of `tend startup`: golden files, the plan for root and for a user, bad input, and
// `systemd-analyze verify` of what is generated (when the tool is there; .ci/run installs it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isTendError } from '../../../src/protocol/errors.js';
import { planStartup, type StartupEnv } from '../../../src/startup/plan.js';
import { renderSystemdUnit, systemdQuote } from '../../../src/startup/systemd-unit.js';
import { CLI, FIXTURES } from '../../helpers/daemon.js';

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
  path: '/opt/node-20/bin:/usr/bin:/bin',
  xdgConfigHome: null,
  unitDir: null,
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
    assert.match(bob.unit, /^PIDFile=\/srv\/bob\/\.tend\/daemon\.pid$/m);

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
      /^TEND_ERR_USAGE: --user bob: only root can install a unit for another user/,
    );
    assert.match(
      codeOf(() => planStartup({ user: 'nobody-here' }, env({ user: 'root', uid: 0 }))),
      /^TEND_ERR_USAGE: --user nobody-here: no such user$/,
    );
    assert.match(
      codeOf(() => planStartup({ serviceName: 'a/b' }, env())),
      /--service-name: expected/,
    );
  });

  test('values systemd would expand or split are escaped and quoted', () => {
    assert.equal(systemdQuote('/usr/bin/node'), '/usr/bin/node');
    assert.equal(systemdQuote('/opt/my apps/tend.js'), '"/opt/my apps/tend.js"');
    assert.equal(systemdQuote('/a/100%/$HOME'), '"/a/100%%/$$HOME"');
    const unit = renderSystemdUnit({
      user: 'alice',
      tendHome: '/home/alice/my tend',
      node: '/opt/node/bin/node',
      entry: '/opt/my apps/tend.js',
      path: '/opt/node/bin:/usr/bin',
      scope: 'user',
    });
    assert.match(unit, /^ExecStart=-\/opt\/node\/bin\/node "\/opt\/my apps\/tend\.js" resurrect$/m);
    assert.match(unit, /^Environment="TEND_HOME=\/home\/alice\/my tend"$/m);
  });
});

describe('systemd-analyze verify', () => {
  const tool = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  const missing = tool.error
    ? 'systemd-analyze is not installed (.ci/run installs the systemd package)'
    : false;
  const dir = mkdtempSync(join(tmpdir(), 'tend-unit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const scope of ['system', 'user'] as const) {
    test(`accepts the generated ${scope} unit (real node and entry)`, { skip: missing }, () => {
      const name = `tend-verify-${scope}.service`;
      const file = join(dir, name);
      const unit = renderSystemdUnit({
        user: 'root',
        tendHome: join(dir, 'home with space'),
        node: process.execPath,
        entry: CLI,
        path: process.env.PATH ?? '/usr/bin:/bin',
        scope,
      });
      writeFileSync(file, unit);
      const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
      // verify exits 0 on unknown keys and only warns: any line about our unit is a failure.
      const ours = r.stderr.split('\n').filter((l) => l.includes(name) || l.includes(file));
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(ours, [], r.stderr);
    });
  }

  test('catches a broken unit (the check can fail)', { skip: missing }, () => {
    const file = join(dir, 'tend-broken.service');
    writeFileSync(file, '[Service]\nType=forking\nExecStart=/nonexistent/node x resurrect\n');
    const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
  });
});
