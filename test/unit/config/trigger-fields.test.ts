// The restart-trigger fields through normalizeApps: accepted forms, defaults, and one clear line per bad
// value naming the app, the field and the value; a file with a bad app starts nothing.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { configIssues, inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
  tmp.write('src/a.js', '');
  tmp.write('config/b.json', '{}');
});
after(() => tmp.remove());

const one = (app: Record<string, unknown>) =>
  normalizeApps(inputFor(tmp.dir, [{ script: 'app.js', ...app }]))[0]!;

describe('restart trigger fields', () => {
  it('watch: true is cwd; paths are relative to cwd, as a list or a comma-separated string', () => {
    assert.deepEqual(one({ watch: true }).watch, [tmp.dir]);
    assert.deepEqual(one({ watch: 'true' }).watch, [tmp.dir]);
    assert.equal(one({ watch: false }).watch, false);
    assert.equal(one({}).watch, false);
    const both = [path.join(tmp.dir, 'src'), path.join(tmp.dir, 'config', 'b.json')];
    assert.deepEqual(one({ watch: ['src', 'config/b.json'] }).watch, both);
    assert.deepEqual(one({ watch: 'src, config/b.json' }).watch, both);
  });

  it('ignore_watch, watch_delay and watch_options', () => {
    const spec = one({
      watch: true,
      ignore_watch: '*.log, tmp',
      watch_delay: '500ms',
      watch_options: { usePolling: true, interval: 50, persistent: false },
    });
    assert.deepEqual(spec.ignore_watch, ['*.log', 'tmp']);
    assert.equal(spec.watch_delay, 500);
    assert.deepEqual(spec.watch_options, { usePolling: true, interval: 50 });
    assert.ok(spec.notes.some((n) => /watch_options\.persistent is not passed to the watcher/.test(n)));
  });

  it('max_memory_restart in bytes or with a unit; memory_check_interval', () => {
    assert.equal(one({ max_memory_restart: '200M' }).max_memory_restart, 200 * 1024 ** 2);
    assert.equal(one({ max_memory_restart: '1G' }).max_memory_restart, 1024 ** 3);
    assert.equal(one({ max_memory_restart: '512K' }).max_memory_restart, 512 * 1024);
    assert.equal(one({ max_memory_restart: 1_000_000 }).max_memory_restart, 1_000_000);
    assert.equal(one({}).max_memory_restart, 0);
    assert.equal(one({}).memory_check_interval, 5000);
    assert.equal(one({ memory_check_interval: '2s' }).memory_check_interval, 2000);
  });

  it('cron_restart (alias cron) with 5 or 6 fields, and a time zone', () => {
    assert.equal(one({ cron_restart: '0 */6 * * *' }).cron_restart, '0 */6 * * *');
    assert.equal(one({ cron: '*/5 * * * * *' }).cron_restart, '*/5 * * * * *');
    const tz = one({ cron_restart: '0 9 * * *', cron_restart_tz: 'Europe/Paris' });
    assert.equal(tz.cron_restart_tz, 'Europe/Paris');
    // Spelt as the tz database does (systemd and a CronJob's timeZone are case-sensitive; Intl is not).
    const spelt = (z: string) => one({ cron_restart: '0 9 * * *', cron_restart_tz: z }).cron_restart_tz;
    assert.equal(spelt('europe/paris'), 'Europe/Paris');
    assert.equal(spelt('utc'), 'UTC');
    assert.equal(spelt('US/Eastern'), 'US/Eastern');
    assert.equal(spelt('us/eastern'), 'America/New_York');
    assert.equal(one({}).cron_restart, null);
  });

  it('each bad value is one line naming the app, the field and the value', () => {
    const lines = configIssues(() =>
      normalizeApps(
        inputFor(tmp.dir, [
          {
            name: 'api',
            script: 'app.js',
            watch: ['src', 'nope'],
            max_memory_restart: '200Q',
            cron_restart: '* * *',
            cron_restart_tz: 'Mars/Base',
          },
        ]),
      ),
    );
    assert.deepEqual(lines, [
      'apps[0] (api).max_memory_restart: expected a size: bytes, or a string such as "10M", "512K" or "1G", got "200Q"',
      'apps[0] (api).cron_restart: expected a cron expression: 5 fields, or 6 with seconds first ("0 */6 * * *"), got "* * *"',
      'apps[0] (api).cron_restart_tz: expected an IANA time zone such as "Europe/Paris" or "UTC", got "Mars/Base"',
      `apps[0] (api).watch: expected existing files or directories (relative to ${tmp.dir}), got "${path.join(tmp.dir, 'nope')}"`,
    ]);
  });

  it('rejects other wrong forms', () => {
    const bad = (app: Record<string, unknown>) => configIssues(() => one(app));
    assert.match(
      bad({ watch: 3 })[0]!,
      /^apps\[0\] \(app\)\.watch: expected true, false, or paths .*, got 3$/,
    );
    assert.match(
      bad({ cron_restart: '0 0 * * * * 2026' })[0]!,
      /expected a cron expression.*got "0 0 \* \* \* \* 2026"/,
    );
    assert.match(bad({ cron_restart: '61 * * * *' })[0]!, /minute.*got "61 \* \* \* \*"/);
    assert.match(bad({ memory_check_interval: 10 })[0]!, /at least 100 ms/);
    assert.match(bad({ watch_delay: 'soon' })[0]!, /^apps\[0\] \(app\)\.watch_delay: expected a duration/);
    assert.match(bad({ ignore_watch: [1] })[0]!, /^apps\[0\] \(app\)\.ignore_watch\[0\]: expected globs/);
  });

  it('a file with one bad app starts none of its apps, and names the bad one', () => {
    const lines = configIssues(() =>
      normalizeApps(
        inputFor(tmp.dir, [
          { name: 'good', script: 'app.js', watch: true },
          { name: 'bad', script: 'app.js', cron_restart: 'every day' },
        ]),
      ),
    );
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^apps\[1\] \(bad\)\.cron_restart: .*, got "every day"$/);
  });
});
