// tend-runtime's stop at its edges (issue 15; the seventh audit): a one-shot stopped before it completed is
// no success (a Job's pod must be Failed), a stop signal while the config file still runs starts nothing, a
// stop signal forwarded twice
// (a terminal's ^C under npm) is one, and a config file that throws or exits while it loads is a coded error.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES } from '../helpers/daemon.js';
import { fileRuntimes, runRuntimeToEnd } from '../helpers/runtime.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const fx = (name: string) => join(FIXTURES, name);
const OFF = ['--health-listen', 'off', '--no-control'];
const { start } = fileRuntimes();

describe('tend-runtime: a one-shot stopped before it completed', () => {
  for (const [mode, code, what] of [
    ['term-exit:1', 1, /job \[0\] had not completed \(exited with code 1 on the stop signal\)/],
    ['term-default', 143, /job \[0\] had not completed \(killed by SIGTERM on the stop signal\)/],
  ] as const)
    test(`${mode}: the runtime exits ${code}, not 0 (a Job's pod is Failed, not Succeeded)`, async () => {
      const r = start([fx('rt-job.cjs'), '--name', 'job', '--no-autorestart', ...OFF, '--', mode]);
      await r.line('out', /^job running$/);
      r.signal('SIGTERM');
      assert.equal(await r.exit, code, r.err.join('\n'));
      assert.ok(
        r.err.some((l) => what.test(l) && / during the shutdown: exit code \d+$/.test(l)),
        r.err.join('\n'),
      );
    });

  test('one that exits 0 on the stop signal: its own verdict, exit 0; a service stopped so: 0', async () => {
    const job = start([fx('rt-job.cjs'), '--name', 'job', '--no-autorestart', ...OFF, '--', 'term-exit:0']);
    await job.line('out', /^job running$/);
    job.signal('SIGTERM');
    assert.equal(await job.exit, 0, job.err.join('\n'));
    assert.ok(job.err.includes('tend-runtime: stopped'), job.err.join('\n'));
    // The same process as a service (autorestart on): killed by the signal is a clean stop.
    const service = start([fx('rt-job.cjs'), '--name', 'svc', ...OFF, '--', 'term-default']);
    await service.line('out', /^job running$/);
    service.signal('SIGTERM');
    assert.equal(await service.exit, 0, service.err.join('\n'));
  });
});

describe('tend-runtime: a one-shot that had not run when the stop came', () => {
  test('waiting for its dependency: exit 1, said (a Job must not count it as done)', async () => {
    const r = start([fx('rt-unrun.config.cjs'), ...OFF]);
    await r.line('err', /^tend-runtime: db\[0\] started pid \d+/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 1, r.err.join('\n'));
    assert.ok(
      r.err.includes(
        'tend-runtime: stopped; migrate [1] had not run (a one-shot, waiting to start when the shutdown came): exit code 1',
      ),
      r.err.join('\n'),
    );
    assert.deepEqual(r.out, [], 'migrate never ran');
  });
});

describe('tend-runtime: a stop signal while the config file still runs', () => {
  test('nothing is started: "before any app was started: exit 0"', async () => {
    const { home } = makeTmpHome();
    const go = join(home, 'go');
    const r = start([fx('rt-slow-config.config.cjs'), ...OFF], { RT_CONFIG_GO: go });
    await r.line('err', /^config loading$/);
    // Delivered while the file's synchronous loop runs: Node takes it at its next turn.
    r.signal('SIGTERM');
    writeFileSync(go, '');
    assert.equal(await r.exit, 0, r.err.join('\n'));
    assert.ok(r.err.includes('tend-runtime: SIGTERM before any app was started: exit 0'), r.err.join('\n'));
    assert.ok(!r.err.some((l) => /started pid/.test(l)), r.err.join('\n'));
    assert.deepEqual(r.out, []);
  });
});

describe("tend-runtime: a slow reader of the runtime's stdout", () => {
  test('an app that wrote a lot and exited: every line reaches the reader, however long it takes', async () => {
    const r = start([fx('rt-burst.cjs'), ...OFF], { RT_LINES: '60000' });
    const out = r.child.stdout;
    assert.ok(out);
    // The reader: 16 KB every 100 ms (about 600 KB to read: some 4 s, past the sinks' 2 s grace for pipes
    // that give nothing). The pacing is the scenario; the end of the stream is what the test waits on.
    out.removeAllListeners('data');
    out.pause();
    let text = '';
    out.on('readable', () => {});
    const ended = new Promise<void>((resolve) => out.once('end', () => resolve()));
    const reader = setInterval(() => {
      const chunk = out.read(16_384) ?? out.read();
      if (chunk) text += (chunk as Buffer).toString('utf8');
    }, 100);
    try {
      await ended;
    } finally {
      clearInterval(reader);
    }
    const lines = text.split('\n').filter((l) => l !== '');
    assert.equal(
      lines.length,
      60_000,
      `${lines.length} lines; the last: ${lines.at(-1)}\n${r.err.slice(-5).join('\n')}`,
    );
    assert.equal(lines.at(-1), 'out 59999');
  });
});

describe('tend-runtime: a stop signal that comes twice', () => {
  test('the same signal again within the window is the same one (no SIGKILL); another one is a second signal', async () => {
    // A window no machine's delay can outlast, so the repeat after a line is inside it.
    const r = start([fx('runtime-app.cjs'), ...OFF, '--grace-period', '60s', '--', 'solo', 'stubborn'], {
      TEND_RUNTIME_SIGNAL_REPEAT_MS: '10000',
    });
    await r.line('out', /^solo up \d+$/);
    r.signal('SIGINT');
    await r.line('out', /^solo got SIGTERM$/);
    r.signal('SIGINT');
    await r.line('err', /^tend-runtime: SIGINT again within 10000 ms: the same one .*, ignored$/);
    assert.ok(!r.err.some((l) => /SIGKILL/.test(l)), r.err.join('\n'));
    // Another signal is a second one: SIGKILL now (the app ignores SIGTERM).
    r.signal('SIGTERM');
    assert.equal(await r.exit, 1, r.err.join('\n'));
    assert.ok(r.err.includes('tend-runtime: SIGTERM again: SIGKILL now'), r.err.join('\n'));
  });
});

describe('tend-runtime: a config file that fails while it loads', () => {
  test('a throw from its timer: the coded error, exit 2, JSON with --json, no stack trace', async () => {
    const r = await runRuntimeToEnd([fx('rt-config-throws.config.cjs'), ...OFF, '--json']);
    assert.equal(r.code, 2, r.err.join('\n'));
    assert.equal(r.err.length, 1, r.err.join('\n'));
    const line = JSON.parse(r.err[0] ?? '') as { message: string };
    assert.match(
      line.message,
      /^tend-runtime: error: .*rt-config-throws\.config\.cjs: the file failed to load: settings service unreachable \(thrown while its exports were settling\) \(TEND_ERR_CONFIG_INVALID\)$/,
    );
  });

  test('process.exit(3) in it: said, exit 2', async () => {
    const r = await runRuntimeToEnd([fx('rt-config-throws.config.cjs'), ...OFF], {
      env: { RT_CONFIG_EXIT: '3' },
    });
    assert.equal(r.code, 2, r.err.join('\n'));
    assert.deepEqual(r.err, [
      'tend-runtime: error: the config file ended the process (process.exit(3)) while tend-runtime was reading it: no app was started (TEND_ERR_CONFIG_INVALID)',
    ]);
  });
});
