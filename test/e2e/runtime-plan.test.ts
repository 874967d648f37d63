// The launch plan (issue 15's start figure; src/container/plan.ts, adopted.ts): `tend-runtime plan` writes it,
// bin/tend-runtime.js's sh line starts the app from it before Node, and the runtime adopts that process once
// it has read the config and found the same launch. What must hold: the app is adopted (its output flows
// through the runtime, its end is the runtime's exit code, a stop signal stops it), a plan that no longer
// matches is not used (sh's checks) or its process replaced (the runtime's), and nothing started from a plan
// outlives a runtime that could not run (a config that no longer loads). Needs `npm run build`.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FIXTURES } from '../helpers/daemon.js';
import { pidNamespaceUnavailable, startInNamespace } from '../helpers/pidns.js';
import { RUNTIME, type RuntimeChild, startRuntime } from '../helpers/runtime.js';
import { isProcessGone, waitGone } from '../helpers/wait-gone.js';

const APP = join(FIXTURES, 'plan-app.cjs');
const ARGS = ['ecosystem.config.cjs', '--no-control', '--health-listen', 'off'];

interface Project {
  dir: string;
  /** TMPDIR of the runs: where the plan's FIFOs are made (and must not be left). */
  tmp: string;
  plan: string;
  env: Record<string, string>;
}

const projects: Project[] = [];
const runtimes: RuntimeChild[] = [];
after(async () => {
  for (const r of runtimes) await r.kill();
  for (const p of projects) {
    // Every app any test started (their pids noted by the app itself): gone, whatever happened.
    for (const pid of pidsOf(p))
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    rmSync(p.dir, { recursive: true, force: true });
    rmSync(p.tmp, { recursive: true, force: true });
  }
});

function pidsOf(p: Project): number[] {
  try {
    return readFileSync(join(p.dir, 'pids'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A project directory with its config (which reads $PLAN_INPUT, and hidden.txt through fs: sh cannot see it). */
function project(): Project {
  const dir = mkdtempSync(join(tmpdir(), 'tend-plan-'));
  const tmp = mkdtempSync(join(tmpdir(), 'tend-plan-tmp-'));
  writeFileSync(
    join(dir, 'ecosystem.config.cjs'),
    `const fs = require('node:fs');
const hidden = fs.existsSync(__dirname + '/hidden.txt') ? fs.readFileSync(__dirname + '/hidden.txt', 'utf8').trim() : 'none';
if (hidden === 'throw') throw new Error('this config refuses to load');
module.exports = { apps: [{ name: 'planned', script: ${JSON.stringify(APP)}, args: [__dirname, process.env.PLAN_MODE || 'serve'],
  env: { PLAN_VALUE: process.env.PLAN_INPUT || 'unset', HIDDEN: hidden, API_TOKEN: 'dev-token' } }] };
`,
  );
  const p: Project = {
    dir,
    tmp,
    plan: join(dir, 'tend-runtime.plan'),
    env: { TMPDIR: tmp, PLAN_INPUT: 'one', TEND_RUNTIME_PLAN: join(dir, 'tend-runtime.plan') },
  };
  projects.push(p);
  return p;
}

/** `tend-runtime plan` in the project, as a Dockerfile's RUN would. */
function writePlan(p: Project, extra: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync(RUNTIME, ['plan', ...ARGS, ...extra], {
    cwd: p.dir,
    env: { ...process.env, ...p.env, ...env, TEND_HOME: '' },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function run(p: Project, env: Record<string, string> = {}, args = ARGS): RuntimeChild {
  const r = startRuntime(args, { asCommand: true, cwd: p.dir, env: { ...p.env, ...env } });
  runtimes.push(r);
  return r;
}

const adoptedLine = /launch plan: the app's process \(pid (\d+)\) started before the runtime's Node, adopted/;

describe('tend-runtime plan', () => {
  test('writes a plan that sh reads; the runtime adopts the app it started: output, parent, stop', async () => {
    const p = project();
    const w = writePlan(p);
    assert.equal(w.code, 0, w.err);
    assert.match(w.out, /launch plan for planned written to .*tend-runtime\.plan/);
    // The app's environment holds a secret-looking value (API_TOKEN): the plan is its owner's alone.
    assert.equal(statSync(p.plan).mode & 0o777, 0o600);
    assert.match(w.err, /readable by its owner only \(mode 600\)/);
    const r = run(p);
    const adopted = Number(adoptedLine.exec(await r.line('err', adoptedLine))?.[1]);
    const hello = await r.line('out', /^app pid=/);
    // The app's own output, read from the FIFOs; its parent is the runtime's Node (the sh line exec'd it).
    assert.equal(hello, `app pid=${adopted} ppid=${r.child.pid} token=dev-token value=one hidden=none`);
    assert.deepEqual(pidsOf(p), [adopted], 'one app started, the planned one');
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
    assert.ok(r.out.includes('app bye'), r.out.join('\n'));
    assert.ok(isProcessGone(adopted));
    assert.deepEqual(readdirSync(p.tmp), [], 'the FIFOs are removed');
    assert.ok(!r.err.some((l) => /not used|not the one/.test(l)), r.err.join('\n'));
  });

  test('the adopted app takes a SIGHUP reload and --log-format json as any app', async () => {
    const p = project();
    const args = [...ARGS, '--log-format', 'json'];
    assert.equal(writePlan(p, ['--log-format', 'json']).code, 0);
    const r = run(p, {}, args);
    const first = JSON.parse(await r.line('out', /"message":"app pid=/)) as { app: string; message: string };
    assert.equal(first.app, 'planned');
    const adopted = Number(/app pid=(\d+)/.exec(first.message)?.[1]);
    await r.line('err', new RegExp(`launch plan: the app's process \\(pid ${adopted}\\) .*adopted`));
    r.signal('SIGHUP');
    await r.line('err', /reload done/);
    // The new process's first line (a reload is done once the new one is up, maybe before it has written).
    await r.line('out', new RegExp(`"message":"app pid=(?!${adopted} )\\d+ `));
    await r.line('out', /"message":"app bye"/);
    // The planned process is stopped (a zombie of the runtime's until it exits: Node cannot reap it).
    assert.ok(isProcessGone(adopted));
    assert.ok(
      r.out.some((l) => l.includes('"message":"app bye"')),
      r.out.join('\n'),
    );
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test("the adopted app's end is the runtime's exit code: its own code, 128+N for a signal", async () => {
    for (const [mode, code] of [
      ['exit3', 3],
      ['kill9', 137],
    ] as const) {
      const p = project();
      p.env.PLAN_MODE = mode;
      assert.equal(writePlan(p).code, 0);
      const r = run(p);
      await r.line('err', adoptedLine);
      await r.line('out', /^app pid=/);
      r.signal('SIGUSR2');
      assert.equal(await r.exit, code, `${mode}: ${r.err.join('\n')}`);
    }
  });

  test("--secrets-from-env: the environment's secret wins over the file's, with the plan as without", async () => {
    const p = project();
    const args = [...ARGS, '--secrets-from-env'];
    const refused = writePlan(p, ['--secrets-from-env'], { API_TOKEN: 'build-time' });
    assert.equal(refused.code, 2);
    assert.match(refused.err, /--secrets-from-env and API_TOKEN is set here.*\(TEND_ERR_PLAN\)/);
    assert.equal(writePlan(p, ['--secrets-from-env']).code, 0);
    for (const [given, seen] of [
      ['prod-token', 'prod-token'],
      [null, 'dev-token'],
    ] as const) {
      const r = run(p, given ? { API_TOKEN: given } : {}, args);
      await r.line('err', adoptedLine);
      assert.match(await r.line('out', /^app pid=/), new RegExp(` token=${seen} `));
      r.signal('SIGTERM');
      assert.equal(await r.exit, 0);
      assert.ok(!r.err.some((l) => /not the one/.test(l)), r.err.join('\n'));
    }
  });

  test('a plan that no longer matches is not used (sh checks it), and the runtime says why', async () => {
    const p = project();
    assert.equal(writePlan(p).code, 0);
    const cases: { why: RegExp; env?: Record<string, string>; args?: string[]; before?: () => void }[] = [
      { why: /the arguments differ from the plan's/, args: [...ARGS, '--grace-period', '5s'] },
      { why: /\$PLAN_INPUT differs from the plan's/, env: { PLAN_INPUT: 'two' } },
      {
        why: /a file the plan was made from changed/,
        before: () =>
          writeFileSync(
            join(p.dir, 'ecosystem.config.cjs'),
            `${readFileSync(join(p.dir, 'ecosystem.config.cjs'), 'utf8')}\n// changed\n`,
          ),
      },
    ];
    for (const c of cases) {
      c.before?.();
      const r = run(p, c.env ?? {}, c.args ?? ARGS);
      const line = await r.line('err', /launch plan .* not used/);
      assert.match(line, c.why);
      await r.line('out', /^app pid=/);
      assert.ok(!r.err.some((l) => adoptedLine.test(l)));
      r.signal('SIGTERM');
      assert.equal(await r.exit, 0);
    }
  });

  test("a TMPDIR with a line break, and a secret among the runtime's own arguments", async () => {
    const p = project();
    const odd = join(p.tmp, 'a\nb');
    mkdirSync(odd);
    assert.equal(writePlan(p, ['--secret', 's3cr3tk3yabcdef']).code, 0);
    // pm2-runtime's --secret (accepted, and ignored): the plan, which holds the arguments, is its owner's.
    assert.equal(statSync(p.plan).mode & 0o777, 0o600);
    const r = run(p, { TMPDIR: odd }, [...ARGS, '--secret', 's3cr3tk3yabcdef']);
    await r.line('err', adoptedLine);
    await r.line('out', /^app pid=/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
    assert.equal(pidsOf(p).length, 1, 'one app: the planned one, adopted');
    assert.deepEqual(readdirSync(odd), []);
  });

  test('a plan named by a relative path', async () => {
    const p = project();
    assert.equal(writePlan(p).code, 0);
    const r = run(p, { TEND_RUNTIME_PLAN: 'tend-runtime.plan' });
    await r.line('err', adoptedLine);
    await r.line('out', /^app pid=/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test("busybox's setpriv (no --pdeathsig): the plan does without it, and is used as PID 1 only", async (t) => {
    if (spawnSync('busybox', ['true']).error) return t.skip('busybox is not installed');
    const p = project();
    const bb = join(p.dir, 'bb');
    mkdirSync(bb);
    for (const tool of ['setpriv', 'setsid', 'mkfifo']) symlinkSync('/bin/busybox', join(bb, tool));
    const path = `${bb}:${process.env.PATH}`;
    assert.equal(writePlan(p, [], { PATH: path }).code, 0);
    // With it the app never ran (setpriv exited 1); without it, an app started before the runtime's Node
    // could outlive a runtime killed as it starts: not PID 1 here, so the plan is not used.
    assert.doesNotMatch(readFileSync(p.plan, 'utf8'), /exec setpriv/);
    const r = run(p, { PATH: path });
    assert.match(await r.line('err', /launch plan .* not used/), /used as PID 1 only/);
    await r.line('out', /^app pid=/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
    assert.equal(pidsOf(p).length, 1);
  });

  test('a config that walks the whole environment gets no plan (any variable may matter)', () => {
    const p = project();
    writeFileSync(
      join(p.dir, 'ecosystem.config.cjs'),
      `const e = { ...process.env };\nmodule.exports = { apps: [{ name: 'walk', script: ${JSON.stringify(APP)}, args: [__dirname, e.MODE || 'serve'] }] };\n`,
    );
    const w = writePlan(p);
    assert.equal(w.code, 2);
    assert.match(w.err, /walks the whole environment.*\(TEND_ERR_PLAN\)/);
  });

  test("/bin/sh as bash: the app started from the plan is adopted (bash's SHLVL after an exec)", async (t) => {
    if (spawnSync('bash', ['-c', 'true']).error) return t.skip('bash is not installed');
    const p = project();
    assert.equal(writePlan(p).code, 0);
    const child = spawn('bash', [RUNTIME, ...ARGS], {
      cwd: p.dir,
      env: { ...process.env, ...p.env, TEND_HOME: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const hello = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        const line = /app pid=.*/.exec(b.toString())?.[0];
        if (line) resolve(line);
      });
      child.once('exit', () => reject(new Error(`exited: ${err}`)));
    });
    assert.match(hello, /^app pid=/);
    const exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exit, 0);
    assert.match(err, adoptedLine);
    assert.doesNotMatch(err, /not the one/);
  });

  test('a service that ends before it could be compared with the config does not count: started again', async () => {
    const p = project();
    const script = join(p.dir, 'quick.sh');
    writeFileSync(script, `#!/bin/sh\necho "ran $$" >> ${join(p.dir, 'runs')}\nexit 4\n`, { mode: 0o755 });
    writeFileSync(
      join(p.dir, 'ecosystem.config.cjs'),
      `module.exports = { apps: [{ name: 'quick', script: ${JSON.stringify(script)}, interpreter: 'none' }] };\n`,
    );
    assert.equal(writePlan(p).code, 0);
    const r = run(p);
    // Whether the first run ended before the runtime's Node saw it depends on the machine: either it was
    // adopted, or it does not count and the app runs again; both end with the app's code, never a wrong one.
    assert.equal(await r.exit, 4, r.err.join('\n'));
    const runs = readFileSync(join(p.dir, 'runs'), 'utf8').trim().split('\n');
    const unseen = r.err.some((l) =>
      /ended before tend-runtime could compare it with the config: its run does not count, started again/.test(
        l,
      ),
    );
    assert.equal(runs.length, unseen ? 2 : 1, r.err.join('\n'));
    assert.ok(unseen || r.err.some((l) => adoptedLine.test(l)), r.err.join('\n'));
  });

  test('a plan whose file cannot be read is said, not silently ignored', async () => {
    const p = project();
    const r = run(p, { TEND_RUNTIME_PLAN: join(p.dir, 'missing.plan') });
    assert.match(await r.line('err', /launch plan .* not used/), /cannot be read, or is no plan/);
    await r.line('out', /^app pid=/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
  });

  test('what sh cannot check (a file the config reads itself): the runtime ends the planned process and starts the right one', async () => {
    const p = project();
    writeFileSync(join(p.dir, 'hidden.txt'), 'old\n');
    assert.equal(writePlan(p).code, 0);
    writeFileSync(join(p.dir, 'hidden.txt'), 'new\n');
    const r = run(p);
    const warning = await r.line('err', /not the one the config asks for/);
    assert.match(warning, /\(its HIDDEN differs\): ended \(SIGKILL\) and started again/);
    const planned = Number(/launch plan \(pid (\d+)\)/.exec(warning)?.[1]);
    const hello = await r.line('out', /hidden=new$/);
    const right = Number(/^app pid=(\d+) /.exec(hello)?.[1]);
    assert.ok(planned > 0 && right > 0 && planned !== right, `${planned} then ${right}`);
    assert.ok(isProcessGone(planned), 'the planned process was ended');
    assert.ok(
      !r.out.some((l) => l.startsWith(`app pid=${planned} `)),
      'nothing of the planned process is shown',
    );
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
  });

  test('a runtime that cannot run (its config no longer loads) ends the app the plan started', async () => {
    const p = project();
    assert.equal(writePlan(p).code, 0);
    writeFileSync(join(p.dir, 'hidden.txt'), 'throw\n');
    const r = run(p);
    const code = await r.exit;
    assert.notEqual(code, 0);
    assert.ok(
      r.err.some((l) => /this config refuses to load/.test(l)),
      r.err.join('\n'),
    );
    // Ended before its Node had run any of its code, maybe: its pid is in the runtime's line.
    const said = r.err.find((l) =>
      /the app started from the launch plan \(pid \d+\) was ended \(SIGKILL\): the runtime did not run/.test(
        l,
      ),
    );
    assert.ok(said, r.err.join('\n'));
    await waitGone(Number(/pid (\d+)/.exec(said)?.[1]), { what: 'the app started from the plan' });
    assert.deepEqual(readdirSync(p.tmp), []);
  });

  test('refused, with the reason and TEND_ERR_PLAN, for what a plan cannot start', () => {
    const p = project();
    const two = writePlan(p, ['-i', '2']);
    assert.equal(two.code, 2);
    assert.match(two.err, /no launch plan written: planned runs 2 instances.*\(TEND_ERR_PLAN\)/);
    const control = spawnSync(RUNTIME, ['plan', 'ecosystem.config.cjs', '--control'], {
      cwd: p.dir,
      env: { ...process.env, ...p.env },
      encoding: 'utf8',
    });
    assert.equal(control.status, 2);
    assert.match(control.stderr, /the control socket .*\(TEND_ERR_PLAN\)/);
    const help = spawnSync(RUNTIME, ['plan', '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: tend-runtime plan/);
  });
});

const noNamespace = pidNamespaceUnavailable();
describe('tend-runtime with a plan as PID 1', { skip: noNamespace ?? false }, () => {
  test("busybox's setpriv: as PID 1 the plan is used (the namespace ends with its PID 1)", async (t) => {
    if (spawnSync('busybox', ['true']).error) return t.skip('busybox is not installed');
    const p = project();
    const bb = join(p.dir, 'bb');
    mkdirSync(bb);
    for (const tool of ['setpriv', 'setsid', 'mkfifo']) symlinkSync('/bin/busybox', join(bb, tool));
    const env = { PATH: `${bb}:${process.env.PATH}` };
    assert.equal(writePlan(p, [], env).code, 0);
    const ns = startInNamespace(['sh', '-c', `cd ${p.dir} && exec ${RUNTIME} ${ARGS.join(' ')}`], {
      env: { ...process.env, ...p.env, ...env, TEND_HOME: '' },
    });
    try {
      await ns.line(/^app pid=/);
      assert.equal(spawnSync('kill', ['-TERM', String(ns.init())]).status, 0);
      assert.equal(await ns.exit, 0, ns.err.join('\n'));
      // Its stderr is complete once it has exited.
      assert.ok(
        ns.err.some((l) => adoptedLine.test(l)),
        ns.err.join('\n'),
      );
    } finally {
      await ns.kill();
    }
  });

  test("tend-init.sh starts the planned app as the Node runtime's child: adopted, exit code, no zombie", async () => {
    const p = project();
    p.env.PLAN_MODE = 'exit3';
    assert.equal(writePlan(p).code, 0);
    const ns = startInNamespace(['sh', '-c', `cd ${p.dir} && exec ${RUNTIME} ${ARGS.join(' ')}`], {
      env: { ...process.env, ...p.env, TEND_HOME: '' },
    });
    try {
      const hello = await ns.line(/^app pid=/);
      // PID 1 is tend-init.sh; the app's parent is the runtime's Node, not PID 1.
      assert.doesNotMatch(hello, / ppid=1 /);
      assert.deepEqual(
        ns.processes().filter((x) => x.state === 'Z'),
        [],
        'no zombie in the namespace',
      );
      const kill = spawnSync('kill', ['-USR2', String(ns.init())]);
      assert.equal(kill.status, 0);
      assert.equal(await ns.exit, 3, ns.err.join('\n'));
      assert.ok(
        ns.err.some((l) => adoptedLine.test(l)),
        ns.err.join('\n'),
      );
    } finally {
      await ns.kill();
    }
  });
});
