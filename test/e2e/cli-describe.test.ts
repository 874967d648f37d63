// `tend describe`: logs, watch/memory/cron settings, restart history with exits, last exits, and --json.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ProcessDetail } from '../../src/protocol/process-info.js';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';
import { reached, watch } from '../helpers/until.js';

const tmp = makeTmpHome();
const home = tmp.home;
const cli = (args: string[], cwd?: string) => runCli(args, { home, cwd });

before(async () => {
  assert.equal((await cli(['ping'])).code, 0);
});
after(async () => {
  await cli(['kill']);
  tmp.remove();
});

test('describe shows log paths, watch/memory/cron settings, restart history with exits, last exits', async () => {
  const dir = join(home, 'app');
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'eco.config.cjs'),
    `module.exports = { apps: [{ name: 'flaky', script: ${JSON.stringify(join(FIXTURES, 'crash.cjs'))}, args: ['3'],
      max_restarts: 2, log_file: 'combined.log', watch: ['src'], ignore_watch: ['node_modules'], watch_delay: 500,
      max_memory_restart: '200M', cron_restart: '0 3 * * *' }] };`,
  );
  const w = await watch(home);
  assert.equal((await cli(['start', 'eco.config.cjs'], dir)).code, 0);
  await w.until(reached('flaky', 'errored'), { what: 'flaky errored' });
  await w.close();

  const text = (await cli(['describe', 'flaky'])).stdout;
  assert.match(text, /logs\n {2}out log +\S+flaky-out\.log\n {2}error log +\S+flaky-error\.log/);
  assert.match(text, new RegExp(`combined log +${join(dir, 'combined.log')}`));
  assert.match(text, /watch, memory and cron\n/);
  assert.match(text, new RegExp(`watch +${join(dir, 'src')}\n`));
  assert.match(text, /ignore_watch +node_modules\n/);
  assert.match(text, /watch_delay +500 ms/);
  assert.match(text, /max_memory_restart +200mb/);
  assert.match(text, /cron_restart +0 3 \* \* \*/);
  assert.match(text, /restarts by triggers +watch 0, memory 0, cron 0/);
  // Two restarts, then the give-up: each line names the exit that caused it.
  assert.match(
    text,
    /restart history[\s\S]*exited with code 3 .* → restart in \d+ ms[\s\S]*exited with code 3/,
  );
  assert.match(text, /last exits \(newest last\)\n( {2}\S+ {2}code 3 after \S+\n){3}/);

  const json = JSON.parse((await cli(['describe', 'flaky', '--json'])).stdout) as ProcessDetail[];
  assert.equal(json.length, 1);
  const d = json[0]!;
  assert.equal(d.last_exits.length, 3);
  assert.deepEqual(
    d.restart_history.map((h) => h.exit?.code),
    [3, 3, 3],
  );
  assert.equal(d.logs.combined, join(dir, 'combined.log'));
  assert.deepEqual(d.policies, {
    watch: [join(dir, 'src')],
    ignore_watch: ['node_modules'],
    watch_delay: 500,
    max_memory_restart: 200 * 1024 * 1024,
    memory_check_interval: 5000,
    cron_restart: '0 3 * * *',
    cron_restart_tz: null,
    active: true,
  });

  // A requested restart is in the history too, without an exit.
  await cli(['restart', 'flaky']);
  const again = JSON.parse((await cli(['describe', 'flaky', '--json'])).stdout) as ProcessDetail[];
  const requested = again[0]!.restart_history.find((h) => h.reason.startsWith('restart requested'));
  assert.ok(requested, JSON.stringify(again[0]!.restart_history));
  assert.equal(requested.exit, null);
  await cli(['delete', 'flaky']);
});
