// The peers the bench compares against, installed with npm into a scratch folder outside the repository
// (never a project dependency), pinned, and reused when already there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PEERS = { pm2: '7.0.4', autocannon: '9.0.0' } as const;

export interface Peers {
  dir: string;
  pm2Bin: string;
  autocannonBin: string;
  pm2Version: string;
}

function installedVersion(dir: string, name: string): string | null {
  try {
    return (
      JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return null;
  }
}

export function ensurePeers(
  log: (msg: string) => void,
  dir = process.env.TEND_BENCH_PEERS ?? join(tmpdir(), 'tend-bench-peers'),
): Peers {
  const wanted = Object.entries(PEERS);
  if (wanted.some(([name, v]) => installedVersion(dir, name) !== v)) {
    log(`installing ${wanted.map(([n, v]) => `${n}@${v}`).join(' ')} into ${dir} (once; reused later)`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'tend-bench-peers', private: true, dependencies: PEERS }, null, 2)}\n`,
    );
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      stdio: 'inherit',
    });
    if (r.status !== 0)
      throw new Error(
        `npm install in ${dir} failed (exit ${r.status ?? r.signal}); is the npm registry reachable?`,
      );
  }
  const pm2Bin = join(dir, 'node_modules', 'pm2', 'bin', 'pm2');
  const autocannonBin = join(dir, 'node_modules', 'autocannon', 'autocannon.js');
  for (const f of [pm2Bin, autocannonBin])
    if (!existsSync(f)) throw new Error(`missing ${f} after npm install`);
  return { dir, pm2Bin, autocannonBin, pm2Version: installedVersion(dir, 'pm2') ?? '?' };
}
