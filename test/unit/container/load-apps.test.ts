// tend-runtime's apps: the fields it has no use for (log files, dates, rotation, alerts) are said at start,
// once per app, and an app that sets none of them gets no such note (fifth audit: dropped without a word).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadRuntimeApps } from '../../../src/container/load-apps.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-load-apps-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('fields tend-runtime does not use: one note per kind, with what happens instead; none for an app without them', async () => {
  writeFileSync(join(dir, 'app.js'), '');
  const file = join(dir, 'eco.config.js');
  writeFileSync(
    file,
    `module.exports = { apps: [
      { name: 'api', script: 'app.js', notify: { webhook: 'http://127.0.0.1:1/x' }, time: true,
        log_date_format: 'YYYY-MM-DD HH:mm', out_file: '${join(dir, 'o.log')}', log_type: 'json',
        max_size: '10M', retain: 3, compress: true },
      { name: 'plain', script: 'app.js' },
    ] };\n`,
  );
  const env = { PATH: process.env.PATH ?? '', HOME: dir, TEND_HOME: join(dir, 'home') };
  const { notes } = await loadRuntimeApps(
    { target: file, scriptArgs: [], only: null, envName: null },
    env,
    dir,
  );
  const ignored = notes.filter((n) => n.includes('not used by tend-runtime'));
  assert.deepEqual(ignored, [
    'api: out_file not used by tend-runtime: no log files: output goes to stdout and stderr (TEND_ERR_CONFIG_IGNORED)',
    'api: time, log_date_format not used by tend-runtime: lines are not dated (the log collector dates them; --log-format json gives each a time) (TEND_ERR_CONFIG_IGNORED)',
    'api: log_type not used by tend-runtime: --log-format json makes every line a JSON object (TEND_ERR_CONFIG_IGNORED)',
    "api: max_size, retain, compress not used by tend-runtime: no rotation: the container's log driver rotates (TEND_ERR_CONFIG_IGNORED)",
    "api: notify not used by tend-runtime: no alerts are sent: the orchestrator's alerting sees the exits and failed probes (TEND_ERR_CONFIG_IGNORED)",
  ]);
});

test("a command that cannot be split: the example is tend-runtime's own, not tend start's (ninth audit)", async () => {
  const env = { PATH: process.env.PATH ?? '', HOME: dir, TEND_HOME: join(dir, 'home') };
  await assert.rejects(
    loadRuntimeApps({ target: "echo 'unterminated", scriptArgs: [], only: null, envName: null }, env, dir),
    (err: Error) => {
      assert.match(
        err.message,
        /a quote is not closed\): .* e\.g\. tend-runtime python3 --name web -- -m http\.server 8080/,
      );
      return true;
    },
  );
});
