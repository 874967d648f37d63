// tend-runtime as PID 1 (issue 15): in a PID namespace (`unshare --pid --fork --mount-proc`, as root),
// bin/tend-init.sh is PID 1 and Node its child. Orphaned grandchildren leave no zombie, the signals a container
// runtime sends to PID 1 reach the app, and the app's exit code is PID 1's. The control test shows the
// problem it solves: Node itself as PID 1 leaves every orphan a zombie.
//
// tend-init.sh is tested under each POSIX shell present (dash, bash, busybox ash) with the app directly as its
// child, then through bin/tend-runtime.js with the real runtime (the full stack). Needs `npm run build`.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { RUNTIME_NODE_FLAGS } from '../../src/export/model.js';
import { FIXTURES, ROOT } from '../helpers/daemon.js';
import { freePort } from '../helpers/free-port.js';
import { type Namespaced, pidNamespaceUnavailable, startInNamespace, until } from '../helpers/pidns.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const INIT = join(ROOT, 'bin', 'tend-init.sh');
const RUNTIME = join(ROOT, 'bin', 'tend-runtime.js');
const APP = join(FIXTURES, 'pid1-app.cjs');
const NODE = process.execPath;

const noNamespace = pidNamespaceUnavailable();
const running: Namespaced[] = [];
after(async () => {
  for (const ns of running) await ns.kill();
});
function start(argv: string[], env?: NodeJS.ProcessEnv): Namespaced {
  const ns = startInNamespace(argv, env ? { env: { ...process.env, ...env } } : {});
  running.push(ns);
  return ns;
}

/** The process has a handler for SIGTERM (SigCgt, bit 15). */
function catchesTerm(pid: number): boolean {
  const hex = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0';
  return (BigInt(`0x${hex}`) & (1n << 14n)) !== 0n;
}

const zombies = (ns: Namespaced) => ns.processes().filter((p) => p.state === 'Z');
const describeProcs = (ns: Namespaced) =>
  ns
    .processes()
    .map((p) => `${p.pid} ${p.name} ${p.state}`)
    .join(', ');
/** The host pid of the process that is PID 1 of its namespace and runs `sh <script>` (exactly one). */
function namespaceInitRunning(script: string): number {
  const found = readdirSync('/proc').filter((p) => {
    if (!/^\d+$/.test(p)) return false;
    try {
      const argv = cmdline(Number(p));
      const nspid = /^NSpid:\s*(.*)$/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? '';
      return argv[0] === 'sh' && argv[1] === script && nspid.split(/\s+/).at(-1) === '1';
    } catch {
      return false;
    }
  });
  assert.equal(found.length, 1, `one PID 1 running sh ${script}: [${found.join(' ')}]`);
  return Number(found[0]);
}
const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

/** The shells to run tend-init.sh with: argv prefix, or why not here. */
const SHELLS: { name: string; argv: string[] }[] = [
  { name: 'dash', argv: ['dash'] },
  { name: 'bash', argv: ['bash'] },
  { name: 'busybox ash', argv: ['busybox', 'sh'] },
];
const missing = (argv: string[]) =>
  spawnSync(argv[0] as string, [...argv.slice(1), '-c', 'true']).error ? `${argv[0]} is not installed` : null;

test('tend-init.sh as an ordinary process (no root needed): the child gets stdin, its status is the exit code', () => {
  const r = spawnSync('sh', [INIT, 'sh', '-c', 'read l; echo "read $l"; exit 5'], {
    input: 'hello\n',
    encoding: 'utf8',
  });
  assert.equal(r.stdout, 'read hello\n');
  assert.equal(r.status, 5);
  const killed = spawnSync('sh', [INIT, 'sh', '-c', 'kill -KILL $$'], { encoding: 'utf8' });
  assert.equal(killed.status, 137);
});

test('tend-init.sh with stdin closed (0<&-): the child runs, with /dev/null for stdin (third audit: sh died, no app ran)', () => {
  for (const sh of ['sh', 'bash']) {
    const r = spawnSync(sh, ['-c', 'exec sh "$0" sh -c \'read l; echo "read [$l] $?"; exit 4\' 0<&-', INIT], {
      encoding: 'utf8',
    });
    assert.equal(r.stderr, '', sh);
    assert.equal(r.stdout, 'read [] 1\n', sh);
    assert.equal(r.status, 4, sh);
  }
});

for (const shell of SHELLS) {
  describe(`tend-init.sh under ${shell.name} as PID 1`, {
    skip: noNamespace ?? missing(shell.argv) ?? false,
  }, () => {
    test('orphaned grandchildren leave no zombie; SIGTERM to PID 1 reaches the app; its exit code is PID 1s', async () => {
      const ns = start([...shell.argv, INIT, NODE, APP, 'orphans:30', 'term-exit:3']);
      await ns.line(/^pid1-app orphans ended 30$/);
      // PID 1 is the shell, the app its child.
      assert.ok(cmdline(ns.init()).includes(INIT), cmdline(ns.init()).join(' '));
      await until(
        () => zombies(ns).length === 0,
        () => `no zombie in the namespace: ${describeProcs(ns)}`,
      );
      process.kill(ns.init(), 'SIGTERM');
      await ns.line(/^pid1-app got SIGTERM$/);
      assert.equal(await ns.exit, 3);
    });

    test('HUP, USR1, USR2, QUIT, INT and TERM are forwarded; an app killed by SIGKILL ends PID 1 with 137', async () => {
      const ns = start([...shell.argv, INIT, NODE, APP, 'stubborn']);
      const up = await ns.line(/^pid1-app up \d+$/);
      assert.equal(up, 'pid1-app up 2', 'the app is the first child of PID 1');
      for (const sig of ['SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGQUIT', 'SIGINT', 'SIGTERM'] as const) {
        process.kill(ns.init(), sig);
        await ns.line(new RegExp(`^pid1-app got ${sig}$`));
      }
      const app = ns.processes().find((p) => p.pid !== ns.init() && cmdline(p.pid).includes(APP));
      assert.ok(app, describeProcs(ns));
      process.kill(app.pid, 'SIGKILL');
      assert.equal(await ns.exit, 137);
    });

    test('the app exits with 3 by itself: PID 1 exits with 3', async () => {
      const ns = start([...shell.argv, INIT, NODE, APP, 'exit:3']);
      assert.equal(await ns.exit, 3, ns.err.join('\n'));
    });
  });
}

const noScript =
  spawnSync('script', ['--version']).error || spawnSync('setsid', ['--version']).error
    ? 'needs script and setsid (util-linux) for a terminal'
    : null;

describe('with a terminal (docker run -it)', { skip: noNamespace ?? noScript ?? false }, () => {
  test('^C reaches the app once: the app runs in a session of its own, PID 1 forwards the SIGINT', async () => {
    // script(1) gives the namespace a pseudo-terminal; ^C written to it is the terminal's SIGINT to its
    // foreground process group (unshare and PID 1).
    const command = [...['unshare', '--pid', '--fork', '--mount-proc', 'sh', INIT], NODE, APP, 'stubborn'];
    const child = spawn('script', ['-qec', command.map((a) => `'${a}'`).join(' '), '/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let out = '';
    const seen = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!re.test(out)) return;
          child.stdout?.off('data', check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => reject(new Error(`no ${re} in ${JSON.stringify(out)}`)), 15_000);
        child.stdout?.on('data', check);
        check();
      });
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString('utf8');
    });
    try {
      await seen(/pid1-app up \d+/);
      child.stdin?.write('\x03');
      await seen(/got SIGINT/);
      // Signals reach the app in order: once USR1 (sent after the first SIGINT was printed) is printed, a
      // second SIGINT would have been printed before it.
      const init = namespaceInitRunning(INIT);
      process.kill(init, 'SIGUSR1');
      await seen(/got SIGUSR1/);
      assert.equal(out.match(/got SIGINT/g)?.length, 1, JSON.stringify(out));
      process.kill(init, 'SIGKILL');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('control: Node itself as PID 1', { skip: noNamespace ?? false }, () => {
  test('every orphan stays a zombie (what tend-init.sh is for)', async () => {
    const ns = start([NODE, APP, 'orphans:30', 'term-exit:3']);
    await ns.line(/^pid1-app orphans ended 30$/);
    await until(
      () => zombies(ns).length >= 30,
      () => `30 zombies: ${describeProcs(ns)}`,
    );
    process.kill(ns.init(), 'SIGTERM');
    assert.equal(await ns.exit, 3);
  });
});

describe('bin/tend-runtime.js as PID 1', { skip: noNamespace ?? false }, () => {
  test('its sh line hands PID 1 to tend-init.sh and runs Node as the child; the exit code comes through', async () => {
    // `tend-runtime probe` against a server that holds the request: while it waits, the tree is visible.
    const held: ServerResponse[] = [];
    let asked!: () => void;
    const requested = new Promise<void>((r) => {
      asked = r;
    });
    const server = createServer((_req, res) => {
      held.push(res);
      asked();
    });
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const ns = start([RUNTIME, 'probe', '--health-listen', `127.0.0.1:${port}`]);
      await requested;
      // PID 1 is the sh of the bin's first line, which sourced tend-init.sh (its traps from the first line on).
      assert.deepEqual(cmdline(ns.init()).slice(0, 2), ['/bin/sh', RUNTIME]);
      const node = ns.processes().find((p) => p.pid !== ns.init());
      assert.ok(node && cmdline(node.pid).includes(RUNTIME), describeProcs(ns));
      assert.equal(await ns.exit, 1, 'the probe timed out: 1, through PID 1');
      assert.match(ns.err.join('\n'), /no answer within 2s \(TEND_ERR_PROBE_FAILED\)/);
    } finally {
      for (const res of held) res.destroy();
      server.close();
    }
  });
});

// The sh line chooses the runtime's Node flags (V8's interpreter only, `gc` and compaction: see
// bin/tend-runtime.js), the same list the exported systemd units give that Node (export/model.ts); the apps are
// started as `tend start` starts them, without those flags. Under each shell, as an ordinary process.
const RUNTIME_FLAGS = RUNTIME_NODE_FLAGS;
for (const shell of SHELLS) {
  describe(`bin/tend-runtime.js's sh line under ${shell.name}: Node's flags`, {
    skip: missing(shell.argv) ?? false,
  }, () => {
    /** Runs the bin with `shell`; returns the runtime's and the app's argv once the app is up. */
    const argvs = async (env: Record<string, string>) => {
      const child = spawn(
        shell.argv[0] as string,
        [...shell.argv.slice(1), RUNTIME, APP, '--health-listen', 'off', '--no-control', '--', 'x'],
        { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
      );
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        let out = '';
        let err = '';
        child.stderr?.on('data', (d: Buffer) => {
          err += d;
        });
        const appPid = await new Promise<number>((resolve, reject) => {
          child.stdout?.on('data', (d: Buffer) => {
            out += d;
            const m = /^pid1-app up (\d+)$/m.exec(out);
            if (m) resolve(Number(m[1]));
          });
          void exit.then((code) => reject(new Error(`exited (${code}) before the app was up: ${err}`)));
        });
        // sh exec'd Node: the child's own pid is the runtime.
        return { runtime: cmdline(child.pid as number), app: cmdline(appPid) };
      } finally {
        child.kill('SIGTERM');
        assert.equal(await exit, 0);
      }
    };
    test('the runtime runs with the interpreter-only flags; the app without; TEND_RUNTIME_NODE_FLAGS replaces them', async () => {
      const plain = await argvs({});
      assert.deepEqual(
        plain.runtime.slice(1, 2 + RUNTIME_FLAGS.length),
        [...RUNTIME_FLAGS, '--'],
        plain.runtime.join(' '),
      );
      assert.deepEqual(plain.app.slice(1), [APP, 'x']);
      const none = await argvs({ TEND_RUNTIME_NODE_FLAGS: '' });
      assert.equal(none.runtime[1], '--', none.runtime.join(' '));
      const own = await argvs({ TEND_RUNTIME_NODE_FLAGS: '--no-sparkplug --stack-size=900' });
      assert.deepEqual(own.runtime.slice(1, 4), ['--no-sparkplug', '--stack-size=900', '--']);
    });
  });
}

describe('node tend-runtime.js as PID 1 (no sh, no init)', { skip: noNamespace ?? false }, () => {
  test('a warning says orphans will not be reaped', async () => {
    const port = await freePort();
    const ns = start([NODE, RUNTIME, 'probe', '--health-listen', `127.0.0.1:${port}`]);
    assert.equal(await ns.exit, 1);
    assert.match(ns.err.join('\n'), /warning: Node is PID 1 here .* orphaned processes will not be reaped/);
    assert.match(ns.err.join('\n'), /connection refused/);
  });
});

// The full stack: the real runtime under its own PID 1. Skipped while src/container/run.ts is the stub.
const coreMissing =
  spawnSync(NODE, [RUNTIME, '--help'], { encoding: 'utf8' }).status === 0
    ? null
    : 'tend-runtime core not merged yet';

describe('tend-runtime as PID 1, the real runtime', { skip: noNamespace ?? coreMissing ?? false }, () => {
  const OFF = ['--health-listen', 'off'];

  test('orphans leave no zombie; SIGTERM to PID 1 stops the app and the runtime ends with 0', async () => {
    const ns = start([RUNTIME, APP, ...OFF, '--', 'orphans:30']);
    await ns.line(/^pid1-app orphans ended 30$/);
    assert.deepEqual(cmdline(ns.init()).slice(0, 2), ['/bin/sh', RUNTIME], cmdline(ns.init()).join(' '));
    assert.ok(!ns.out.some((l) => /TEND_RUNTIME_INIT/.test(l)), 'the marker does not reach the app');
    // tend-init.sh's child is the runtime's Node, with the flags the sh line chose.
    const runtimeNode = ns.processes().find((p) => p.pid !== ns.init() && cmdline(p.pid).includes(RUNTIME));
    assert.ok(runtimeNode, describeProcs(ns));
    assert.deepEqual(cmdline(runtimeNode.pid).slice(1, 2 + RUNTIME_FLAGS.length), [...RUNTIME_FLAGS, '--']);
    await until(
      () => zombies(ns).length === 0,
      () => `no zombie in the namespace: ${describeProcs(ns)}`,
    );
    process.kill(ns.init(), 'SIGTERM');
    // SIGTERM to PID 1 reaches the app as SIGTERM (kill_signal's default under tend-runtime).
    await ns.line(/^pid1-app got SIGTERM$/);
    assert.equal(await ns.exit, 0, ns.err.join('\n'));
  });

  test('a SIGTERM to PID 1 at once, before Node or its handlers exist: kept, not lost or fatal; exit 0 (fifth audit: 143, or ran on)', async () => {
    for (let i = 0; i < 3; i++) {
      const ns = start([RUNTIME, APP, ...OFF, '--', 'term-exit:0']);
      // As soon as PID 1 catches SIGTERM (the first thing its sh line does; before, the kernel drops a
      // signal to a PID 1 without a handler, as it would for any init), long before Node has started.
      await until(
        () => {
          try {
            return catchesTerm(ns.init());
          } catch {
            return false;
          }
        },
        () => 'PID 1 catching SIGTERM',
      );
      process.kill(ns.init(), 'SIGTERM');
      assert.equal(await ns.exit, 0, ns.err.join('\n'));
    }
  });

  test("the app's exit code through PID 1: 3 → 3, killed by SIGKILL → 137", async () => {
    const three = start([RUNTIME, APP, ...OFF, '--', 'exit:3']);
    assert.equal(await three.exit, 3, three.err.join('\n'));
    const killed = start([RUNTIME, APP, ...OFF, '--', 'kill']);
    assert.equal(await killed.exit, 137, killed.err.join('\n'));
  });

  /** The daemon's log (pid1-app daemon:…): a file, since the namespace's stdout is a socket no one can open. */
  const daemonLog = () => join(makeTmpHome().home, 'daemon.log');
  const logged = (file: string, line: string) =>
    until(
      () => {
        try {
          return readFileSync(file, 'utf8').split('\n').includes(line);
        } catch {
          return false;
        }
      },
      () => `"${line}" in ${file}`,
    );

  test("a daemon that left every app's tree gets SIGTERM once the apps are stopped; exit 0 (seventh audit: only the kernel's SIGKILL)", async () => {
    const log = daemonLog();
    const ns = start([RUNTIME, APP, ...OFF, '--', 'daemon:polite', `daemon-log:${log}`]);
    await logged(log, 'pid1-app daemon up');
    process.kill(ns.init(), 'SIGTERM');
    await ns.line(/^pid1-app got SIGTERM$/);
    assert.equal(await ns.exit, 0, ns.err.join('\n'));
    await logged(log, 'pid1-app daemon got TERM');
    assert.ok(
      ns.err.some((l) => /SIGTERM sent to \d+ process\(es\) left in the container/.test(l)),
      ns.err.join('\n'),
    );
  });

  test('one that ignores it is SIGKILLed at the end of --grace-period, which makes the exit 1', async () => {
    const log = daemonLog();
    const ns = start([
      RUNTIME,
      APP,
      ...OFF,
      '--grace-period',
      '1s',
      '--',
      'daemon:stubborn',
      `daemon-log:${log}`,
    ]);
    await logged(log, 'pid1-app daemon up');
    process.kill(ns.init(), 'SIGTERM');
    assert.equal(await ns.exit, 1, ns.err.join('\n'));
    assert.ok(
      ns.err.some((l) => /SIGKILL sent to \d+ process\(es\) still left in the container/.test(l)),
      ns.err.join('\n'),
    );
  });

  test('a second stop signal while the apps stop also SIGKILLs what the sweep finds, at once (not after the grace period)', async () => {
    const log = daemonLog();
    // Every repeat a second signal (the runtime's 200 ms window would take this one for the first again).
    const ns = start(
      [
        RUNTIME,
        APP,
        ...OFF,
        '--grace-period',
        '60s',
        '--',
        'stubborn',
        'daemon:stubborn',
        `daemon-log:${log}`,
      ],
      { TEND_RUNTIME_SIGNAL_REPEAT_MS: '0' },
    );
    await logged(log, 'pid1-app daemon up');
    process.kill(ns.init(), 'SIGTERM');
    await ns.line(/^pid1-app got SIGTERM$/);
    process.kill(ns.init(), 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      ns.exit,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`still running 20 s after the second SIGTERM:\n${ns.err.join('\n')}`)),
          20_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    assert.equal(code, 1, ns.err.join('\n'));
    assert.ok(
      ns.err.some((l) => /SIGKILL sent to \d+ process\(es\) still left in the container/.test(l)),
      ns.err.join('\n'),
    );
  });

  test('a process that entered the container from outside (kubectl exec) is left alone: no SIGTERM, exit 0', async () => {
    const ns = start([RUNTIME, APP, ...OFF, '--grace-period', '1s', '--', 'term-exit:0']);
    await ns.line(/^pid1-app up \d+$/);
    // An operator's shell, which ignores SIGTERM as interactive shells do: its parent is outside (PPid 0).
    const exec = spawn(
      'nsenter',
      ['--target', String(ns.init()), '--pid', '--mount', '--', 'sh', '-c', 'trap "" TERM; exec sleep 60'],
      {
        stdio: 'ignore',
      },
    );
    try {
      await until(
        () => ns.processes().some((p) => p.name === 'sleep'),
        () => `the exec'd sleep in the namespace: ${describeProcs(ns)}`,
      );
      process.kill(ns.init(), 'SIGTERM');
      assert.equal(await ns.exit, 0, ns.err.join('\n'));
      assert.ok(!ns.err.some((l) => /left in the container/.test(l)), ns.err.join('\n'));
    } finally {
      exec.kill('SIGKILL');
    }
  });

  test('an app ignoring its stop signal is SIGKILLed after --grace-period; the exit is 1', async () => {
    const ns = start([RUNTIME, APP, ...OFF, '--grace-period', '1s', '--', 'stubborn']);
    await ns.line(/^pid1-app up \d+$/);
    process.kill(ns.init(), 'SIGTERM');
    await ns.line(/^pid1-app got SIG(INT|TERM)$/);
    assert.equal(await ns.exit, 1, ns.err.join('\n'));
  });
});
