// A real PM2 for the tests that compare with it or read what it writes (issue 17). Never a project
// dependency: the pinned version the bench uses (bench/lib/peers.ts) is taken from the bench's scratch folder
// when `npm run bench` installed it there, and otherwise installed with npm into the test's own scratch
// folder. When npm cannot install it (no registry), the caller skips with the reason returned.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PEERS } from '../../bench/lib/peers.js';

const run = promisify(execFile);

function pinnedIn(dir: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', 'pm2', 'package.json'), 'utf8')) as {
      version: string;
    };
    const bin = join(dir, 'node_modules', 'pm2', 'bin', 'pm2');
    return pkg.version === PEERS.pm2 && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/** PM2's bin, or why there is none (for t.skip). `scratch` is the test's own folder, used when needed. */
export async function findOrInstallPm2(scratch: string): Promise<{ bin: string } | { skip: string }> {
  const cached = pinnedIn(process.env.TEND_BENCH_PEERS ?? join(tmpdir(), 'tend-bench-peers'));
  if (cached) return { bin: cached };
  mkdirSync(scratch, { recursive: true });
  try {
    await run('npm', ['install', `pm2@${PEERS.pm2}`, '--prefix', scratch, '--no-audit', '--no-fund'], {
      timeout: 180_000,
    });
  } catch (err) {
    return {
      skip: `npm install pm2 failed (registry unreachable?): ${String((err as Error).message).split('\n')[0]}`,
    };
  }
  const bin = pinnedIn(scratch);
  return bin ? { bin } : { skip: `npm installed no pm2 ${PEERS.pm2} in ${scratch}` };
}
