// tend/metrics (metrics.cjs): answers `tend:metrics` with the registry's JSON (or the error), does not keep a
// process alive by itself, and does nothing outside tend. Real child processes on an IPC channel; each test
// waits for the child's messages and exit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../../helpers/daemon.js';

const HELPER = join(ROOT, 'metrics.cjs');
const script = (body: string) => `const m = require(${JSON.stringify(HELPER)}); ${body}`;
const withIpc = (body: string) =>
  spawn(process.execPath, ['-e', script(body)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

/** The child's next message. */
const next = async (child: ReturnType<typeof spawn>) => (await once(child, 'message'))[0] as unknown;

describe('tend/metrics', () => {
  test("answers with the registry's JSON, or with the error it threw, by id", async () => {
    const child = withIpc(`
      let calls = 0;
      m.serve({ getMetricsAsJSON: async () => { if (++calls === 2) throw new Error('broken'); return [{ name: 'x', help: 'h', type: 'gauge', values: [{ value: 1, labels: {} }] }]; } });
      process.send('served');
      setInterval(() => {}, 1 << 30);
    `);
    try {
      assert.equal(await next(child), 'served');
      child.send({ type: 'tend:metrics', id: 41 });
      assert.deepEqual(await next(child), {
        type: 'tend:metrics',
        id: 41,
        metrics: [{ name: 'x', help: 'h', type: 'gauge', values: [{ value: 1, labels: {} }] }],
      });
      child.send({ type: 'tend:metrics', id: 42 });
      assert.deepEqual(await next(child), { type: 'tend:metrics', id: 42, error: 'broken' });
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('does not keep the process alive: a script that is done exits, channel open or not', async () => {
    const child = withIpc(`m.serve({ getMetricsAsJSON: () => [] }); process.send('served');`);
    assert.equal(await next(child), 'served');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });

  test('outside tend (no IPC channel) serve() does nothing and returns a no-op', async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        script("const stop = m.serve(); stop(); console.log(typeof stop, process.listenerCount('message'));"),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const [code] = await once(child, 'close');
    assert.equal(code, 0);
    assert.equal(out, 'function 0\n');
  });
});
