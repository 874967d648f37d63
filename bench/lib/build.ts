// The build under test, copied once at the start (bin/ and dist/) into the bench's scratch folder. Every
// tend command of the run uses the copy, so a rebuild of dist/ while the bench runs (npm test does one)
// cannot break a scenario or mix two builds in one table. The bundles keep a few packages external, loaded
// only when a feature is on (yaml for the settings file, prom-client for /metrics): the copy reaches them
// through a link to the repository's node_modules, as an installed tend would find its dependencies.
import { cpSync, existsSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun } from './child.js';
import { ROOT } from './tools.js';

export async function snapshotBuild(work: string): Promise<string> {
  const dist = join(ROOT, 'dist');
  for (const f of ['cli.cjs', 'daemon.cjs']) {
    if (!existsSync(join(dist, f))) throw new Error(`dist/${f} is missing: run \`npm run build\` first`);
  }
  const copy = join(work, 'tend-build');
  cpSync(join(ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
  cpSync(dist, join(copy, 'dist'), { recursive: true });
  // The bundle is ESM in .js files, as the repository's package.json declares.
  writeFileSync(join(copy, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(copy, 'node_modules'), 'dir');
  const cli = join(copy, 'bin', 'tend.js');
  await mustRun(process.execPath, [cli, '--version']);
  return cli;
}
