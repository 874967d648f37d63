// The launch plan's text (src/container/plan.ts) run by real shells, and the runtime's comparison of the
// planned process with the config's launch (src/container/adopted.ts's difference()).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type Adoption, difference, ENDED_UNSEEN, judge } from '../../../src/container/adopted.js';
import type { RuntimeOptions } from '../../../src/container/args.js';
import { type PlanInput, planProblem, planText, recordingEnv } from '../../../src/container/plan.js';
import { makeSpec } from '../../helpers/spec.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'tend-plan-unit-'));
  dirs.push(d);
  return d;
}

const SHELLS = [
  { name: 'dash', argv: ['dash'] },
  { name: 'bash', argv: ['bash'] },
  { name: 'busybox ash', argv: ['busybox', 'sh'] },
].map((s) => ({
  ...s,
  missing: spawnSync(s.argv[0] as string, [...s.argv.slice(1), '-c', 'true']).error
    ? `${s.argv[0]} is not installed`
    : null,
}));

/** Words sh must pass untouched: quotes, $, backquotes, a newline, globs, a leading dash. */
const TRICKY = ["it's", '$HOME `id` $(id)', 'two\nlines', '*', '-x', ''];

/** A plan whose app is Node writing what it got (argv, cwd, env) to OUT, from a project dir. */
function fixture() {
  const dir = tmp();
  const work = join(dir, 'work');
  const out = join(dir, 'got.json');
  const config = join(dir, 'eco.config.js');
  writeFileSync(config, 'module.exports = {};\n');
  execFileSync('mkdir', [work]);
  const checksums = execFileSync('cksum', [config], { encoding: 'utf8' }).replace(/\n+$/, '');
  const script = `require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ argv: process.argv.slice(1), cwd: process.cwd(), env: process.env }))`;
  const baseline = { PATH: process.env.PATH as string, KEEP: 'kept', DROP: 'dropped', PWD: dir };
  const input: PlanInput = {
    argv: ['eco.config.js', ...TRICKY],
    cwd: dir,
    name: 'app',
    launch: {
      command: process.execPath,
      args: ['-e', script, ...TRICKY],
      cwd: work,
      env: { PATH: baseline.PATH, KEEP: 'kept', PWD: dir, ADDED: "a 'quoted' $value\nwith a line" },
    },
    baseline,
    reads: {
      values: new Map([
        ['PLAN_INPUT', 'one'],
        ['NOT_SET', null],
      ]),
      enumerated: false,
    },
    files: [config],
    checksums,
    source: config,
    bin: '/nonexistent/tend-runtime.js',
    envFirst: new Set(),
    own: new Set(['KEEP']),
    pdeathsig: true,
  };
  const plan = join(dir, 'app.plan');
  writeFileSync(plan, planText(input));
  return { dir, work, out, config, plan, baseline, input };
}

/** Sources the plan in `shell`, runs the check with `args`, starts the app when it passes and waits for it. */
function runPlan(
  shell: string[],
  f: ReturnType<typeof fixture>,
  args: string[],
  env: Record<string, string>,
  fifoDir: string,
) {
  const body = `. ${f.plan}; tend_plan_check "$@"; echo "go=$tend_plan_go"; echo "skip=\${TEND_RUNTIME_PLAN_SKIPPED-}"; [ -n "$tend_plan_go" ] || exit 0; tend_plan_start; echo "adopted=$TEND_RUNTIME_ADOPTED"; wait`;
  return spawnSync(shell[0] as string, [...shell.slice(1), '-c', body, 'sh', ...args], {
    cwd: f.dir,
    env: { ...env, TMPDIR: fifoDir },
    encoding: 'utf8',
  });
}

describe('the plan in each shell', () => {
  for (const shell of SHELLS)
    test(shell.name, { skip: shell.missing ?? false }, () => {
      const f = fixture();
      const fifos = tmp();
      const env = { ...f.baseline, PLAN_INPUT: 'one', TEND_HOME: '/somewhere', TEND_RUNTIME_PLAN: f.plan };
      const r = runPlan(shell.argv, f, f.input.argv as string[], env, fifos);
      assert.match(r.stdout, /^go=1$/m, r.stdout + r.stderr);
      assert.match(r.stdout, /^adopted=\d+ /m);
      const got = JSON.parse(readFileSync(f.out, 'utf8')) as {
        argv: string[];
        cwd: string;
        env: Record<string, string>;
      };
      assert.deepEqual(got.argv, TRICKY);
      assert.equal(got.cwd, f.work);
      const { TEND_SPAWN_ID, ...rest } = got.env;
      assert.match(TEND_SPAWN_ID ?? '', /^plan\.\d+$/);
      // The launch's environment: DROP and tend's own variables unset, ADDED set, PWD as it was before the
      // cd. The rest is inherited as the runtime inherits it (PLAN_INPUT, TMPDIR; bash and busybox add SHLVL
      // and bash its startup's variables, to the runtime's Node as well: the same shell execs it).
      for (const [k, v] of Object.entries(f.input.launch.env)) {
        // A bash may change PATH as it starts (a startup file): for the runtime's Node too, which it execs.
        if (shell.name === 'bash' && k === 'PATH') continue;
        assert.equal(rest[k], v, k);
      }
      for (const k of ['DROP', 'TEND_HOME', 'TEND_RUNTIME_PLAN', 'OLDPWD'])
        assert.equal(rest[k], undefined, k);
      if (shell.name === 'dash')
        assert.deepEqual(rest, { ...f.input.launch.env, PLAN_INPUT: 'one', TMPDIR: fifos });
      // Its output FIFOs, named as TEND_RUNTIME_ADOPTED says (the runtime opens and removes them).
      const base = /^adopted=\d+ (.*)$/m.exec(r.stdout)?.[1] ?? '';
      assert.deepEqual(
        readdirSync(fifos)
          .map((n) => join(fifos, n))
          .sort(),
        [`${base}.err`, `${base}.out`],
      );
    });

  test('each check refuses with its reason', { skip: SHELLS[0]?.missing ?? false }, () => {
    const f = fixture();
    const fifos = tmp();
    const env = { ...f.baseline, PLAN_INPUT: 'one' };
    const skip = (args: string[], e: Record<string, string>) => {
      const r = runPlan(['dash'], f, args, e, fifos);
      assert.match(r.stdout, /^go=$/m, r.stdout);
      return /^skip=(.*)$/m.exec(r.stdout)?.[1];
    };
    assert.equal(skip(['eco.config.js'], env), "the arguments differ from the plan's");
    assert.equal(
      skip([...(f.input.argv as string[]).slice(0, -1), 'x'], env),
      "the arguments differ from the plan's",
    );
    assert.equal(
      skip(f.input.argv as string[], { ...env, PLAN_INPUT: 'two' }),
      "$PLAN_INPUT differs from the plan's",
    );
    const { PLAN_INPUT: _, ...without } = env;
    assert.equal(skip(f.input.argv as string[], without), "$PLAN_INPUT differs from the plan's");
    assert.equal(skip(f.input.argv as string[], { ...env, NOT_SET: '' }), "$NOT_SET differs from the plan's");
    writeFileSync(f.config, 'module.exports = { changed: true };\n');
    assert.equal(skip(f.input.argv as string[], env), 'a file the plan was made from changed');
    assert.deepEqual(readdirSync(fifos), [], 'no FIFO made when a check fails');
  });
});

describe('planProblem: what a plan cannot start', () => {
  const options = { restart: null, control: false } as unknown as RuntimeOptions;
  test('one app, one instance, fork mode: none', () => {
    assert.equal(planProblem([makeSpec()], options), null);
  });
  test('each refusal names the reason', () => {
    assert.match(
      planProblem([makeSpec(), makeSpec({ name: 'b' })], options) ?? '',
      /one app, and 2 would run/,
    );
    assert.match(planProblem([makeSpec({ instances: 2 })], options) ?? '', /runs 2 instances/);
    assert.match(planProblem([makeSpec({ exec_mode: 'cluster' })], options) ?? '', /cluster mode/);
    assert.match(planProblem([makeSpec({ wait_ready: true })], options) ?? '', /IPC channel/);
    assert.match(planProblem([makeSpec({ autorestart: false })], options) ?? '', /one-shot/);
    assert.match(
      planProblem([makeSpec({ depends_on: [{ name: 'db' }] as never })], options) ?? '',
      /depends on db/,
    );
    assert.match(planProblem([makeSpec()], { ...options, control: true }) ?? '', /control socket/);
    assert.match(planProblem([makeSpec()], { ...options, restart: 'policy' }) ?? '', /--restart policy/);
  });
});

describe('recordingEnv: what the config read', () => {
  test("names read or tested are recorded with their values; tend's own are not", async () => {
    process.env.PLAN_TEST_SET = 'yes';
    delete process.env.PLAN_TEST_UNSET;
    delete process.env.PLAN_TEST_OWN;
    try {
      const { reads } = await recordingEnv(async (env) => {
        // What tend's own code reads of the environment it is given is not the config's.
        void env.PLAN_TEST_NOT_RECORDED;
        void { ...env };
        void process.env.PLAN_TEST_SET;
        void ('PLAN_TEST_UNSET' in process.env);
        void Object.hasOwn(process.env, 'PLAN_TEST_OWN');
        // An object's methods are no variables (`process.env.hasOwnProperty('X')`, a template literal).
        void Object.hasOwn(process.env, 'PLAN_TEST_SET');
        void `${process.env}`;
        void process.env.TEND_HOME;
      });
      assert.deepEqual([...reads.values].sort(), [
        ['PLAN_TEST_OWN', null],
        ['PLAN_TEST_SET', 'yes'],
        ['PLAN_TEST_UNSET', null],
      ]);
      assert.equal(reads.enumerated, false);
      assert.equal(process.env.PLAN_TEST_SET, 'yes', 'process.env is itself again');
    } finally {
      delete process.env.PLAN_TEST_SET;
    }
  });

  test('a walk over the whole environment is noted (no plan is written then)', async () => {
    for (const walk of [() => ({ ...process.env }), () => Object.keys(process.env)]) {
      const { reads } = await recordingEnv(async () => void walk());
      assert.equal(reads.enumerated, true);
    }
  });
});

describe("difference: the planned process against the config's launch", () => {
  const req = {
    command: '/usr/bin/node',
    args: ['app.js', 'x'],
    cwd: '/',
    env: { A: '1', B: '2' },
    ipc: false,
  };
  const seen = (over: Partial<Adoption> = {}): Adoption => ({
    pid: 42,
    out: 3,
    err: 4,
    ppid: 7,
    cmdline: ['/usr/bin/node', 'app.js', 'x'],
    environ: ['A=1', 'B=2', 'TEND_SPAWN_ID=plan.7'],
    cwd: '/',
    ...over,
  });
  test('the same launch: none (between its execs too)', () => {
    assert.equal(difference(seen(), req, 7), null);
    assert.equal(difference(seen({ cmdline: ['setsid', '/usr/bin/node', 'app.js', 'x'] }), req, 7), null);
    // A script's own #! interpreter comes first in what the kernel shows (`/usr/bin/env node`: node).
    const dir = tmp();
    for (const [line, head] of [
      ['#!/bin/sh', ['/bin/sh']],
      ['#!/bin/sh -e', ['/bin/sh', '-e']],
      ['#!/usr/bin/env node', ['node']],
      ['#!/usr/bin/env -S node --no-warnings', ['node', '--no-warnings']],
    ] as const) {
      const script = join(dir, 'run.sh');
      writeFileSync(script, `${line}\nexec true\n`, { mode: 0o755 });
      const scripted = { ...req, command: script, args: ['x'] };
      assert.equal(difference(seen({ cmdline: [...head, script, 'x'] }), scripted, 7), null, line);
    }
    assert.equal(
      difference(
        seen({ cmdline: ['setpriv', '--pdeathsig', 'KILL', 'setsid', '/usr/bin/node', 'app.js', 'x'] }),
        req,
        7,
      ),
      null,
    );
  });
  test('judge: the look as Node began may catch it on its way (a subshell); the look now then decides', () => {
    const early = seen({ cmdline: ['/bin/sh', '/usr/bin/tend-runtime', 'eco.config.js'], environ: ['A=1'] });
    const now = { cmdline: ['/usr/bin/node', 'app.js', 'x'], environ: ['A=1', 'B=2'], cwd: '/', ppid: 7 };
    // With the runtime's own pid as the parent (judge compares with process.pid).
    const mine = (x: Partial<Adoption>) => ({ ...seen(x), ppid: process.pid });
    assert.equal(judge(mine(early), { ...now, ppid: process.pid }, req).diff, null);
    // The app's own process.title later: the first look, taken before, decides.
    assert.equal(judge(mine({}), { ...now, cmdline: ['my-title'], ppid: process.pid }, req).diff, null);
    // Neither look shows the launch: the later one's difference.
    assert.match(
      judge(mine(early), { ...now, environ: ['A=1', 'B=3'], ppid: process.pid }, req).diff ?? '',
      /its B differs/,
    );
  });

  test('each difference, by name only', () => {
    assert.match(difference(seen(), req, 8) ?? '', /not this runtime's child/);
    assert.match(
      difference(seen({ cmdline: ['/usr/bin/node', 'other.js', 'x'] }), req, 7) ?? '',
      /command line/,
    );
    assert.match(
      difference(seen({ cmdline: ['/usr/bin/node', 'app.js', 'y'] }), req, 7) ?? '',
      /command line/,
    );
    // Anything else before the command: a wrapper an older plan ran (`wrap node app.js x`) is not the app.
    assert.match(
      difference(seen({ cmdline: ['/bin/sh', '/srv/wrap', '/usr/bin/node', 'app.js', 'x'] }), req, 7) ?? '',
      /command line/,
    );
    assert.match(
      difference(seen({ cmdline: ['/bin/sh', '/usr/bin/node', 'app.js', 'x'] }), req, 7) ?? '',
      /command line/,
    );
    // Ended before /proc showed anything: its run cannot count.
    assert.equal(difference(seen({ cmdline: null, environ: null }), req, 7), ENDED_UNSEEN);
    assert.equal(difference(seen({ environ: ['A=1', 'B=3'] }), req, 7), 'its B differs');
    assert.equal(difference(seen({ environ: ['A=1'] }), req, 7), 'its environment lacks B');
    assert.equal(
      difference(seen({ environ: ['A=1', 'B=2', 'C=secret'] }), req, 7),
      "its environment has C, which the app's has not",
    );
    assert.match(difference(seen({ cwd: '/tmp' }), req, 7) ?? '', /working directory is \/tmp/);
    assert.match(difference(seen(), { ...req, ipc: true }, 7) ?? '', /IPC channel/);
    assert.match(difference(seen({ err: null }), req, 7) ?? '', /output FIFOs could not be opened/);
  });
});
