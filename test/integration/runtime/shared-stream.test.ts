// tend-runtime with stdout and stderr on ONE pipe (`2>&1`, as journald's stream socket in a unit `tend export
// systemd` writes, `docker run -t`, `| tee`) and a reader slower than the apps (seventh audit, finding 4): two
// apps flood, one on stdout, one on stderr. Every line read must be a whole line of one app (or of the
// runtime), in each format, and each app's lines all there, in order. Before the fix, two writers on the one
// pipe spliced lines mid-line (`…EEEE{"time":…`). The reader's pace is the load, not a synchronisation:
// the test ends when the runtime's output ends, the apps having written a bounded number of lines.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RUNTIME, runRuntimeToEnd } from '../../helpers/runtime.js';
import { makeTmpHome } from '../../helpers/tmp-home.js';
import { fixture } from './rt-support.js';

const LINES = 12_000;
const tmp = makeTmpHome();
const started = new Set<number>();
let running: { pid: number } | null = null;

after(() => {
  // Only what this file started: the runtime's group, then each app's group (their pids from its lines).
  for (const pid of [running?.pid, ...started]) {
    if (!pid) continue;
    try {
      if (
        pid === running?.pid ||
        readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`TEND_HOME=${tmp.home}`)
      )
        process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  tmp.remove();
});

const config = join(tmp.home, 'flood.config.cjs');
writeFileSync(
  config,
  `module.exports = { apps: [
    { name: 'o', script: ${JSON.stringify(fixture('rt-flood-stream.cjs'))}, args: ['out'], autorestart: false, env: { RT_LINES: '${LINES}' } },
    { name: 'e', script: ${JSON.stringify(fixture('rt-flood-stream.cjs'))}, args: ['err'], autorestart: false, env: { RT_LINES: '${LINES}' } },
  ] };\n`,
);

/** Runs the runtime with fd 2 = fd 1 (one pipe), read 7000 bytes at a time, one read per millisecond. */
async function runShared(format: string): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(
    'sh',
    [
      '-c',
      'exec "$0" "$@" 2>&1',
      process.execPath,
      RUNTIME,
      config,
      '--log-format',
      format,
      '--health-listen',
      'off',
      '--no-control',
    ],
    {
      cwd: tmp.home,
      env: { ...process.env, TEND_HOME: tmp.home },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    },
  );
  running = { pid: child.pid as number };
  const stdout = child.stdout;
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve) => stdout.once('end', resolve));
  // A 'readable' listener for the whole run: with none (between two reads), child_process resumes the stream
  // when the child exits and the rest flows out unread (Node's flushStdio), which looks like lost lines.
  let resting = false;
  const pump = (): void => {
    if (resting) return;
    const chunk: Buffer | null = stdout.read(7000) ?? stdout.read();
    if (chunk === null) return;
    chunks.push(chunk);
    for (const m of chunk.toString('latin1').matchAll(/ started pid (\d+)/g)) started.add(Number(m[1]));
    // The reader's pace (the load of this test, not a synchronisation): 7000 bytes a millisecond at most.
    resting = true;
    setTimeout(() => {
      resting = false;
      pump();
    }, 1);
  };
  stdout.on('readable', pump);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const safety = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 60_000);
  await ended;
  const code = await exit;
  clearTimeout(safety);
  running = null;
  const text = Buffer.concat(chunks).toString('utf8');
  assert.ok(text.endsWith('\n'), 'the output ends with a whole line');
  return { code, lines: text.slice(0, -1).split('\n') };
}

type Parsed = { app: 'o' | 'e'; n: number; stream?: string } | 'runtime' | null;

const APP_LINE = /^([OE])(\d+)\1{150}$/;
function appLine(message: string): { app: 'o' | 'e'; n: number } | null {
  const m = APP_LINE.exec(message);
  return m ? { app: m[1] === 'O' ? 'o' : 'e', n: Number(m[2]) } : null;
}

const PARSERS: Record<string, (line: string) => Parsed> = {
  raw: (line) => (line.startsWith('tend-runtime: ') ? 'runtime' : appLine(line)),
  prefixed: (line) => {
    if (line.startsWith('tend-runtime: ')) return 'runtime';
    const m = /^([oe]) \| (.*)$/.exec(line);
    const parsed = m ? appLine(m[2] as string) : null;
    return parsed && m && parsed.app === m[1] ? parsed : null;
  },
  json: (line) => {
    let o: { app: string | null; stream: string; message: string };
    try {
      o = JSON.parse(line);
    } catch {
      return null;
    }
    if (o.app === null) return o.message.startsWith('tend-runtime: ') ? 'runtime' : null;
    const parsed = appLine(o.message);
    return parsed && parsed.app === o.app ? { ...parsed, stream: o.stream } : null;
  },
};

for (const format of ['json', 'prefixed', 'raw']) {
  test(`one pipe for stdout and stderr, a slow reader: whole lines only (--log-format ${format})`, async () => {
    const { code, lines } = await runShared(format);
    const parse = PARSERS[format] as (line: string) => Parsed;
    const bad: string[] = [];
    const next = { o: 0, e: 0 };
    const gaps: string[] = [];
    for (const line of lines) {
      const p = parse(line);
      if (p === null) {
        bad.push(line);
        continue;
      }
      if (p === 'runtime') continue;
      if (p.n !== next[p.app]) gaps.push(`${p.app}: ${p.n} after ${next[p.app] - 1}`);
      next[p.app] = p.n + 1;
      if (p.stream !== undefined)
        assert.equal(p.stream, p.app === 'o' ? 'out' : 'err', 'each line keeps its stream');
    }
    assert.deepEqual(
      bad.slice(0, 3).map((l) => `${l.slice(0, 120)}…`),
      [],
      `${bad.length} of ${lines.length} lines are not one whole line`,
    );
    assert.deepEqual(gaps, [], "each app's lines in order, none lost");
    assert.deepEqual(
      next,
      { o: LINES, e: LINES },
      lines.filter((l) => l.includes('tend-runtime')).join('\n'),
    );
    assert.equal(code, 0, lines.filter((l) => l.includes('tend-runtime')).join('\n'));
  });
}

test('stdout and stderr apart: each app stream keeps its own (nothing changes when they differ)', async () => {
  const { code, out, err } = await runRuntimeToEnd([config, '--health-listen', 'off', '--no-control'], {
    cwd: tmp.home,
  });
  assert.equal(code, 0, err.join('\n'));
  assert.equal(out.filter((l) => /^o \| O\d+O+$/.test(l)).length, LINES);
  assert.equal(err.filter((l) => /^e \| E\d+E+$/.test(l)).length, LINES);
  assert.equal(out.filter((l) => !l.startsWith('o | ')).length, 0, 'nothing but o on stdout');
});
