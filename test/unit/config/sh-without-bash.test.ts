// A `.sh` script runs with bash (PM2's choice), and with sh where there is no bash on PATH (alpine), said
// once and naming the app (eighth audit: `tend-runtime job.sh` on alpine failed every start with "cannot
// start bash: ENOENT"). The PATH here is a directory with `sh` and `node` and no bash; the last test runs
// tend-runtime (from src) with it, for real.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { inputFor, makeTmp, type TmpDir } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
/** The system's sh and bash, found as a shell would. */
const onPath = (name: string) =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((d) => path.join(d, name))
    .find((f) => fs.existsSync(f)) ?? null;

let tmp: TmpDir;
let noBash: string;
before(() => {
  tmp = makeTmp();
  tmp.write('job.sh', 'echo "job ran: $0"\n');
  noBash = path.join(tmp.dir, 'no-bash');
  fs.mkdirSync(noBash);
  fs.symlinkSync(onPath('sh') as string, path.join(noBash, 'sh'));
  fs.symlinkSync(process.execPath, path.join(noBash, 'node'));
});
after(() => tmp.remove());

const specOf = (PATH: string) => {
  const [spec] = normalizeApps(
    inputFor(tmp.dir, [{ script: 'job.sh' }], { callerEnv: { PATH, HOME: tmp.dir } }),
  );
  assert.ok(spec);
  return spec;
};

describe('.sh scripts', () => {
  it('no bash on PATH: sh, with one notice naming the app', () => {
    const spec = specOf(noBash);
    assert.equal(spec.interpreter, 'sh');
    assert.deepEqual(
      spec.notes.filter((n) => /bash/.test(n)),
      [
        'apps[0] (job): job.sh runs with sh: no bash on PATH (.sh scripts run with bash where there is one; set interpreter to choose) (TEND_ERR_NOTICE)',
      ],
    );
  });

  it('bash on PATH: bash, as PM2, without a word; an interpreter written: that one', (t) => {
    const bash = onPath('bash');
    if (bash === null) return t.skip('no bash on this machine');
    const withBash = path.join(tmp.dir, 'with-bash');
    fs.mkdirSync(withBash, { recursive: true });
    fs.symlinkSync(bash, path.join(withBash, 'bash'));
    const spec = specOf(`${noBash}${path.delimiter}${withBash}`);
    assert.equal(spec.interpreter, 'bash');
    assert.deepEqual(
      spec.notes.filter((n) => /bash/.test(n)),
      [],
    );
    const [given] = normalizeApps(
      inputFor(tmp.dir, [{ script: 'job.sh', interpreter: 'bash' }], {
        callerEnv: { PATH: noBash, HOME: tmp.dir },
      }),
    );
    assert.equal(given?.interpreter, 'bash');
  });

  it('tend-runtime job.sh with that PATH: runs it with sh, says so once, exits with its code', async () => {
    const job = path.join(tmp.dir, 'job.sh');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/container/main.ts', job, '--health-listen', 'off', '--no-control'],
      { cwd: ROOT, env: { PATH: noBash, HOME: tmp.dir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);
    assert.match(out, new RegExp(`job ran: ${job}`));
    assert.equal(err.match(/job\.sh runs with sh: no bash on PATH/g)?.length, 1, err);
    assert.doesNotMatch(err, /cannot start/);
  });
});
