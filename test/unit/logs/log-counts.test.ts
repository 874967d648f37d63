// The app's output counters (its metrics, issue 14): whole lines and their bytes per stream, as the app wrote
// them, however its chunks fall, and lines that never reached a file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { createFileSinks } from '../../../src/logs/log-service.js';
import { countLines } from '../../../src/logs/write-queue.js';
import { AppTally } from '../../../src/supervisor/app-tally.js';

const tmp = mkdtempSync(join(tmpdir(), 'tend-log-counts-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('log counts', () => {
  it('counts lines', () => {
    assert.equal(countLines(Buffer.from('')), 0);
    assert.equal(countLines(Buffer.from('a\n')), 1);
    assert.equal(countLines(Buffer.from('a\n\nbé\n')), 3);
  });

  it('counts whole lines and bytes per stream across chunks, and dropped lines, on the app', async () => {
    const tally = new AppTally();
    const sinks = createFileSinks();
    const two = [0, 1].map((id) =>
      sinks.open({
        id,
        name: 'app',
        out_file: join(tmp, `out-${id}.log`),
        err_file: id === 0 ? join(tmp, 'missing', 'err.log') : join(tmp, 'err.log'),
        counts: tally.logs,
      }),
    );
    const [a, b] = two;
    const streams = two.map(() => ({ out: new PassThrough(), err: new PassThrough() }));
    a?.attach(streams[0]!.out, streams[0]!.err);
    b?.attach(streams[1]!.out, streams[1]!.err);
    streams[0]!.out.write('hel');
    streams[0]!.out.write('lo\nwor');
    streams[0]!.out.end('ld\n'); // 2 lines, 12 bytes
    streams[1]!.out.end('x\n'); // 1 line, 2 bytes
    streams[0]!.err.end('lost 1\nlost 2\n'); // its file cannot be opened: 2 lines dropped
    streams[1]!.err.end('partial'); // the last line without newline still counts (8 bytes with it)
    await Promise.all(two.map((s) => s.close()));
    assert.deepEqual(tally.logs, { outLines: 3, outBytes: 14, errLines: 3, errBytes: 22, dropped: 2 });
  });
});
