// `tend export --out DIR` (the built CLI) where DIR cannot be: a coded error naming the path and what to do,
// exit 2, nothing written, and never a hang (Node's recursive mkdir loops forever on /proc; each run here
// has a time limit as a safety net, reported as a failure). And a value a unit cannot carry is refused before
// --out is even made.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { CLI, ROOT } from '../../helpers/daemon.js';
import { makeTmpHome } from '../../helpers/tmp-home.js';
import { ECOSYSTEM, EXPORT_FIXTURES } from '../../unit/export/support.js';

const tmp = makeTmpHome();
after(() => tmp.remove());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function cli(args: string[], prefix: string[] = []): Promise<Run> {
  const [cmd, ...rest] = [...prefix, process.execPath, CLI, 'export', ...args];
  return new Promise((resolve) => {
    execFile(
      cmd as string,
      rest,
      { cwd: ROOT, env: { ...process.env, TEND_HOME: tmp.home, NO_COLOR: '1' }, timeout: 20_000 },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number | string; killed?: boolean }) | null;
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          stdout,
          stderr,
          timedOut: Boolean(e?.killed),
        });
      },
    );
  });
}

function assertOutError(r: Run, path: string, reason: RegExp): void {
  assert.equal(r.timedOut, false, 'the export hung');
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  const line = r.stderr.split('\n').find((l) => l.startsWith('error: ')) ?? r.stderr;
  assert.ok(line.startsWith(`error: cannot write the export into ${path}: `), line);
  assert.match(line, reason);
  assert.match(
    line,
    /pass --out a directory you can write, or leave --out out to print the files\) \(TEND_ERR_EXPORT_OUT\)$/,
  );
}

test('--out /proc/nope: an error, not a CPU-bound hang', async () => {
  const r = await cli(['systemd', ECOSYSTEM, '--out', '/proc/nope', '--systemd-version', '252']);
  assertOutError(r, '/proc/nope', /cannot create \/proc\/nope: ENOENT/);
});

test('--out /sys/kernel/x, /dev/null/x, an existing file, a file on the way', async () => {
  assertOutError(
    await cli(['k8s', ECOSYSTEM, '--out', '/sys/kernel/x']),
    '/sys/kernel/x',
    /cannot create \/sys\/kernel\/x: E(PERM|ACCES|NOENT|ROFS)/,
  );
  assertOutError(
    await cli(['k8s', ECOSYSTEM, '--out', '/dev/null/x']),
    '/dev/null/x',
    /: \/dev\/null is not a directory/,
  );
  const file = join(tmp.home, 'afile');
  writeFileSync(file, '');
  assertOutError(await cli(['compose', ECOSYSTEM, '--out', file]), file, /: it is a file, not a directory/);
  assertOutError(
    await cli(['compose', ECOSYSTEM, '--out', join(file, 'a', 'b')]),
    join(file, 'a', 'b'),
    new RegExp(`: ${file} is not a directory`),
  );
  assert.equal(readFileSync(file, 'utf8'), '');
});

test('--out a/b/c: the missing levels are made one at a time, the files written', async () => {
  const out = join(tmp.home, 'a', 'b', 'c');
  const r = await cli(['compose', ECOSYSTEM, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(out), ['compose.yaml']);
  assert.match(r.stdout, new RegExp(`^wrote ${out}/compose\\.yaml$`, 'm'));
});

test('a line break in a value: TEND_ERR_EXPORT_UNSAFE_VALUE, exit 2, --out not even made', async () => {
  const dir = join(tmp.home, 'inj');
  mkdirSync(dir);
  const eco = join(dir, 'inj.config.js');
  writeFileSync(
    eco,
    `module.exports = { apps: [{ name: 'inj', script: ${JSON.stringify(join(EXPORT_FIXTURES, 'app.cjs'))}, env: { MOTD: 'hello\\nExecStartPre=/bin/touch /tmp/pwned\\nX=' } }] };\n`,
  );
  const out = join(dir, 'units');
  const r = await cli(['systemd', eco, '--out', out]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /^error: inj: env\.MOTD: holds a line break \(U\+000A\), which would end the unit's line and start a directive of its own: nothing was written \(move MOTD into an env_file.*\) \(TEND_ERR_EXPORT_UNSAFE_VALUE\)$/m,
  );
  assert.equal(existsSync(out), false);
  // YAML carries it, as a value: k8s and compose export the same file.
  const motd = 'hello\nExecStartPre=/bin/touch /tmp/pwned\nX=';
  const k8s = await cli(['k8s', eco, '--image', 'img:1']);
  assert.equal(k8s.code, 0, k8s.stderr);
  assert.deepEqual(parseAllDocuments(k8s.stdout)[0]?.toJS().spec.template.spec.containers[0].env, [
    { name: 'MOTD', value: motd },
  ]);
  const compose = await cli(['compose', eco, '--image', 'img:1']);
  assert.equal(compose.code, 0, compose.stderr);
  assert.deepEqual(parse(compose.stdout).services.inj.environment, { MOTD: motd });
});

test("instances: 'max' gives the same export on one CPU as on all of them (taskset -c 0)", {
  skip: existsSync('/usr/bin/taskset') ? false : 'taskset is not installed',
}, async () => {
  const eco = join(tmp.home, 'max.config.js');
  writeFileSync(
    eco,
    `module.exports = { apps: [{ name: 'm', script: ${JSON.stringify(join(EXPORT_FIXTURES, 'app.cjs'))}, instances: 'max' }] };\n`,
  );
  for (const target of ['k8s', 'compose', 'systemd']) {
    const args = [target, eco, '--image', 'img:1', '--systemd-version', '252'];
    const [all, one] = await Promise.all([cli(args), cli(args, ['taskset', '-c', '0'])]);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(one.stdout, all.stdout, target);
    assert.equal(one.stderr, all.stderr, target);
  }
  const k8s = await cli(['k8s', eco, '--image', 'img:1']);
  assert.match(k8s.stdout, /^ {2}replicas: 1$/m);
  assert.match(k8s.stderr, /^warning: m: exec_mode: instances follow the CPUs: replicas: 1 here/m);
});

test('a file of the export is a symbolic link (a masked unit): refused, nothing written through it or beside it', async () => {
  const out = join(tmp.home, 'masked');
  mkdirSync(out);
  // The link's target stands for /dev/null or a file of root's: it must keep its bytes.
  const victim = join(tmp.home, 'victim.txt');
  writeFileSync(victim, 'untouched\n');
  symlinkSync(victim, join(out, 'worker.service'));
  const r = await cli(['systemd', ECOSYSTEM, '--out', out, '--systemd-version', '252']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    new RegExp(
      `^error: cannot write the export into ${out}: ${out}/worker\\.service is a symbolic link \\(a masked unit\\?\\) \\(remove it or choose another --out\\) \\(TEND_ERR_EXPORT_OUT\\)$`,
      'm',
    ),
  );
  assert.equal(readFileSync(victim, 'utf8'), 'untouched\n');
  // Checked before the first file: migrate.service and api.service (written before worker's) are not there.
  assert.deepEqual(readdirSync(out), ['worker.service']);
  // A link to /dev/null, the masked unit itself: the same refusal (k8s.yaml, compose.yaml alike).
  const k8sOut = join(tmp.home, 'masked-k8s');
  mkdirSync(k8sOut);
  symlinkSync('/dev/null', join(k8sOut, 'k8s.yaml'));
  const k8s = await cli(['k8s', ECOSYSTEM, '--out', k8sOut]);
  assert.equal(k8s.code, 2, k8s.stderr);
  assert.match(
    k8s.stderr,
    /k8s\.yaml is a symbolic link \(remove it or choose another --out\) \(TEND_ERR_EXPORT_OUT\)$/m,
  );
  // Once the link is gone, the export writes a plain file.
  unlinkSync(join(out, 'worker.service'));
  const again = await cli(['systemd', ECOSYSTEM, '--out', out, '--systemd-version', '252']);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(lstatSync(join(out, 'worker.service')).isFile());
});

test('--out DIR with two apps of one name in the target: TEND_ERR_EXPORT_NAME_CLASH, DIR not made', async () => {
  const eco = join(tmp.home, 'clash.config.js');
  const script = JSON.stringify(join(EXPORT_FIXTURES, 'app.cjs'));
  writeFileSync(
    eco,
    `module.exports = { apps: [{ name: 'a.b', script: ${script} }, { name: 'a-b', script: ${script} }, { name: 'A_B', script: ${script} }] };\n`,
  );
  const out = join(tmp.home, 'clash-out');
  const r = await cli(['k8s', eco, '--out', out, '--check']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /^error: apps "a\.b" and "a-b" both become Kubernetes name "a-b": nothing was written \(rename one of them\) \(TEND_ERR_EXPORT_NAME_CLASH\)$/m,
  );
  assert.equal(existsSync(out), false);
});

test("the built CLI: an operator's file in --out is refused (exit 2, naming --force); --force replaces it", async () => {
  const out = join(tmp.home, 'force-out');
  mkdirSync(out);
  const mine = join(out, 'api.service');
  writeFileSync(mine, "[Unit]\nDescription=the operator's own\n");
  const refused = await cli(['systemd', ECOSYSTEM, '--out', out, '--systemd-version', '252']);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(
    refused.stderr,
    /api\.service exists and is not a tend export .*--force.*\(TEND_ERR_EXPORT_OUT\)/,
  );
  assert.equal(readFileSync(mine, 'utf8'), "[Unit]\nDescription=the operator's own\n");
  const forced = await cli(['systemd', ECOSYSTEM, '--out', out, '--systemd-version', '252', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(mine, 'utf8'), /^# Generated by tend /);
});
