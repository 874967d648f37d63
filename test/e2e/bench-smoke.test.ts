// The benchmark's smoke mode (`npm run bench -- --quick`: tend alone, tiny sizes) as a child process, so the
// suite never rots. Asserts only that it ran: exit 0, a row per scenario, a JSON file. Never on timings.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { scenarios } from '../../bench/scenarios/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'tend-bench-smoke-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('npm run bench -- --quick runs every scenario against tend and prints a row for each', async () => {
  const json = join(tmp, 'quick.json');
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bench', 'run.ts'), '--quick', '--json', json],
      { cwd: ROOT, timeout: 420_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
  assert.equal(r.code, 0, `bench --quick failed:\n${r.stderr}\n${r.stdout}`);
  assert.match(r.stdout, /^machine: \d+ cores/m);
  for (const s of scenarios) {
    assert.match(
      r.stdout,
      new RegExp(`^${s.number} ${s.id} `, 'm'),
      `no row for scenario ${s.number} ${s.id}`,
    );
  }
  assert.doesNotMatch(r.stdout, /ERROR:/);
  const results = JSON.parse(readFileSync(json, 'utf8')) as { rows: unknown[]; failures: unknown[] };
  assert.deepEqual(results.failures, []);
  assert.ok(results.rows.length >= scenarios.length - 1);
});
