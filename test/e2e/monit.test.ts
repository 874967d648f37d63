// `tend monit` driven in a real pseudo-terminal (tmux): it draws the process list with CPU and memory,
// moves the selection with the keys, shows the selected app's live logs, survives a resize, and `q` exits
// 0 with the terminal restored (main screen, cursor visible).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, FIXTURES, ROOT, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';
import { TmuxSession, tmuxMissing } from '../helpers/tmux.js';

const tmp = makeTmpHome();
const home = tmp.home;
const cli = (args: string[]) => runCli(args, { home });
const skip = tmuxMissing();
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape sequence is what is looked for
const SGR7 = /\u001b\[(?:\d+;)*7(?:;\d+)*m/;
let tmux: TmuxSession | null = null;

before(async () => {
  for (const name of ['alpha', 'beta']) {
    const r = await cli(['start', join(FIXTURES, 'say.cjs'), '--name', name, '--', name]);
    assert.equal(r.code, 0, r.stderr);
  }
});
after(async () => {
  tmux?.close();
  await cli(['kill']);
  tmp.remove();
});

/** The screen line that shows `name` in the table. */
const row = (screen: string, name: string) =>
  screen.split('\n').find((l) => new RegExp(`^\\d+ +${name} `).test(l));

test('monit: list with CPU/memory, keyboard selection, live logs of the selected app, resize, q restores', {
  skip,
}, async () => {
  // Not in CI mode: ink draws only a final frame when it believes it runs in CI.
  const command = `env -u CI TEND_HOME='${home}' '${process.execPath}' '${CLI}' monit; echo "monit exited $?"; exec cat`;
  tmux = TmuxSession.start(command, { dir: home, cols: 120, rows: 40 });
  const t = tmux;
  assert.equal(t.display('#{cursor_flag}'), '1');

  // The list, with a CPU and a memory column filled in for the running apps.
  let screen = await t.until((s) => /alpha/.test(s) && /beta/.test(s) && /\d+\.\d MB/.test(s), {
    what: 'the process list with memory',
  });
  assert.match(screen, /^id +name +status +cpu +memory +restarts +uptime/m);
  assert.match(row(screen, 'alpha') ?? '', /online +\d+\.\d% +\d+\.\d MB/);
  assert.match(row(screen, 'beta') ?? '', /online +\d+\.\d% +\d+\.\d MB/);
  assert.equal(t.display('#{alternate_on}'), '1');

  // The first app is selected, and its logs stream (the count goes up).
  screen = await t.until((s) => /logs of alpha \[0\]/.test(s) && /alpha says \d+/.test(s), {
    what: "alpha's logs",
  });
  const lastSaid = (s: string, name: string) =>
    Math.max(...[...s.matchAll(new RegExp(`${name} says (\\d+)`, 'g'))].map((m) => Number(m[1])));
  const before = lastSaid(screen, 'alpha');
  await t.until((s) => lastSaid(s, 'alpha') > before, { what: 'new alpha lines live' });
  // Inverse video (SGR 7) on the row: the selection.
  const inverse = (s: string, name: string) =>
    s.split('\n').some((l) => SGR7.test(l) && new RegExp(`\\d+ +${name} `).test(l));
  assert.ok(inverse(t.screen(true), 'alpha'), 'alpha is highlighted');

  // j: beta is selected, and its logs replace alpha's (stderr lines too).
  t.keys('j');
  screen = await t.until(
    (s) => /logs of beta \[1\]/.test(s) && /beta says \d+/.test(s) && /beta complains/.test(s),
    {
      what: "beta's logs after j",
    },
  );
  assert.doesNotMatch(screen.slice(screen.indexOf('logs of beta')), /alpha says/);
  screen = await t.until((s) => inverse(s, 'beta') && !inverse(s, 'alpha'), {
    what: 'beta highlighted',
    escapes: true,
  });

  // ↑ goes back; j past the end stays on the last one.
  t.keys('Up');
  await t.until((s) => /logs of alpha \[0\]/.test(s), { what: 'alpha again after Up' });
  t.keys('Down', 'j', 'j');
  await t.until((s) => /logs of beta \[1\]/.test(s), { what: 'beta after Down' });

  // Resize: drawn again for the new size, lines cut to the width.
  t.resize(70, 20);
  screen = await t.until((s) => /logs of beta/.test(s) && s.split('\n').every((l) => l.length <= 70), {
    what: 'the screen at 70×20',
  });
  assert.match(screen, /alpha/);

  // q: the process ends with 0, the main screen is back, with its cursor.
  t.keys('q');
  screen = await t.until((s) => /monit exited \d+/.test(s), { what: 'monit to exit' });
  assert.match(screen, /monit exited 0/);
  assert.doesNotMatch(screen, /logs of/);
  assert.equal(t.display('#{alternate_on}'), '0');
  assert.equal(t.display('#{cursor_flag}'), '1');
});

test('the daemon going away ends monit with one clear line, the terminal restored', { skip }, async () => {
  tmux?.close();
  const command = `env -u CI TEND_HOME='${home}' '${process.execPath}' '${CLI}' monit; echo "monit exited $?"; exec cat`;
  tmux = TmuxSession.start(command, { dir: home, cols: 100, rows: 30 });
  const t = tmux;
  await t.until((s) => /logs of alpha/.test(s), { what: 'monit drawn' });
  assert.equal((await cli(['kill'])).code, 0);
  const screen = await t.until((s) => /monit exited \d+/.test(s), { what: 'monit to exit' });
  assert.match(
    screen,
    /^error: the daemon closed the connection \(TEND_ERR_CONNECTION_CLOSED\)\nmonit exited 3$/m,
  );
  assert.equal(t.display('#{alternate_on}'), '0');
  assert.equal(t.display('#{cursor_flag}'), '1');
});

test('monit without a terminal: one clear line, exit 2', async () => {
  const r = await cli(['monit']);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    'error: tend monit needs an interactive terminal (stdin and stdout must be a TTY) (TEND_ERR_NOT_A_TTY)\n',
  );
  assert.match((await cli(['monit', '--help'])).stdout, /q or Ctrl-C quit/);
});

test('ink and React are only in the monit bundle: the other commands never load them', () => {
  const fromInk = /node_modules\/(ink|react)/;
  assert.match(readFileSync(join(ROOT, 'dist', 'monit.mjs'), 'utf8'), fromInk);
  for (const bundle of ['cli.cjs', 'cli-program.cjs', 'daemon.cjs'])
    assert.doesNotMatch(readFileSync(join(ROOT, 'dist', bundle), 'utf8'), fromInk, bundle);
});
