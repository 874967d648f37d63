// Runs every test file under test/ (or those under the folders given) with Node's test runner. Node 20's
// runner takes no glob, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['test'];
const files = roots
  .flatMap((root) =>
    root.endsWith('.test.ts')
      ? [root]
      : readdirSync(root, { recursive: true }).map((f) => join(root, String(f))),
  )
  .filter((f) => f.endsWith('.test.ts'))
  .sort();
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
