// Every warning and error line the CLI prints carries its TEND_ERR_* code (docs/errors.md): coded by the CLI,
// or by the daemon in the notes it sends. A run of commands that print warnings of every source: notes of
// a start (already running, an ignored flag), a restart of a file, a signal to a stopped app, and the
// daemon's own notice after a crash.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';
import { waitGone } from '../helpers/wait-gone.js';

const tmp = makeTmpHome();
const dir = join(tmp.home, 'app');
const cli = (...args: string[]) => runCli(args, { home: tmp.home, cwd: dir });
after(async () => {
  await cli('kill');
  tmp.remove();
});

const CODED = /^(warning|error): .*\(TEND_ERR_[A-Z_]+\)$/;

test('warnings and errors of every source end with their code', async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'eco.json'),
    JSON.stringify({ apps: [{ name: 'a', script: join(FIXTURES, 'idle.cjs') }] }),
  );
  const stderr: string[] = [];
  const run = async (...args: string[]) => {
    const r = await cli(...args);
    stderr.push(...r.stderr.split('\n').filter((l) => l !== ''));
    return r;
  };
  assert.equal((await run('start', 'eco.json')).code, 0);
  await run('start', 'eco.json'); // already running
  await run('start', 'eco.json', '--name', 'x'); // --name ignored with a file
  writeFileSync(
    join(dir, 'eco.json'),
    JSON.stringify({ apps: [{ name: 'a', script: join(FIXTURES, 'idle.cjs'), instances: 2 }] }),
  );
  await run('restart', 'eco.json'); // a change a restart of the file does not apply (instances)
  await run('stop', 'a');
  await run('sendSignal', 'USR2', 'a'); // a stopped app is skipped
  await run('start', 'a');
  await run('nope'); // an unknown command
  const pid = Number(readFileSync(join(tmp.home, 'daemon.pid'), 'utf8'));
  process.kill(pid, 'SIGKILL');
  await waitGone(pid, { what: 'the daemon' });
  await run('ping'); // the new daemon's notice: it recovered the apps
  const warnings = stderr.filter((l) => /^(warning|error):/.test(l));
  assert.ok(warnings.length >= 5, `warnings seen: ${warnings.join('\n')}`);
  assert.ok(
    warnings.some((l) => l.includes('(TEND_ERR_ALREADY_RUNNING)')),
    warnings.join('\n'),
  );
  assert.ok(
    warnings.some((l) => l.includes('(TEND_ERR_NOTICE)')),
    warnings.join('\n'),
  );
  assert.deepEqual(
    warnings.filter((l) => !CODED.test(l)),
    [],
    'every warning and error line ends with its code',
  );
});
