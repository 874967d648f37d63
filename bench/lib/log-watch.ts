// Waits until each log file holds its app's last numbered line, woken by inotify (fs.watch on the folders),
// and afterwards counts what reached the files: lost, duplicated and reordered lines.
import {
  closeSync,
  existsSync,
  type FSWatcher,
  openSync,
  readFileSync,
  readSync,
  statSync,
  watch,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import { nowMs } from './child.js';

export interface Expect {
  path: string;
  tag: string;
  count: number;
}

/** The text of line n from log-lines.cjs, up to its padding: unique, whatever prefix a tool adds. */
const lineMark = (tag: string, n: number) => `L ${tag} ${n} x`;

/** Reads what was appended to a file since `offset` (at most up to its current size). */
function readFrom(path: string, offset: number): { text: string; size: number } {
  if (!existsSync(path)) return { text: '', size: offset };
  const size = statSync(path).size;
  if (size <= offset) return { text: '', size: offset };
  const buf = Buffer.alloc(size - offset);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  return { text: buf.toString('latin1'), size };
}

export interface LastLines {
  /** hrtime (ms) when the last file got its last line. */
  done: Promise<number>;
  /** Stops watching (on a failure elsewhere); done then rejects. */
  cancel(): void;
}

/**
 * Watches until each app's last line is in its file. inotify (fs.watch on the folders) does the waking; each
 * wake reads only what was appended since the last one (several apps may share a file, so the tail alone
 * would not do). A slow timer only guards against a missed event: it would show as a coarser time, never as
 * a wrong count.
 */
export function waitForLastLines(files: readonly Expect[], timeoutMs: number): LastLines {
  let cancel = () => {};
  const done = new Promise<number>((resolve, reject) => {
    const state = new Map<string, { offset: number; carry: string; marks: Set<string> }>();
    for (const f of files) {
      const st = state.get(f.path) ?? { offset: 0, carry: '', marks: new Set<string>() };
      st.marks.add(lineMark(f.tag, f.count - 1));
      state.set(f.path, st);
    }
    const watchers: FSWatcher[] = [];
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      for (const w of watchers) w.close();
      clearInterval(guard);
      clearTimeout(deadline);
      if (err) reject(err);
      else resolve(nowMs());
    };
    const check = (only?: string) => {
      for (const [path, st] of state) {
        if (st.marks.size === 0 || (only && basename(path) !== only)) continue;
        const { text, size } = readFrom(path, st.offset);
        if (text === '') continue;
        const window = st.carry + text;
        for (const m of [...st.marks]) if (window.includes(m)) st.marks.delete(m);
        st.offset = size;
        st.carry = window.slice(-256);
      }
      if ([...state.values()].every((st) => st.marks.size === 0)) finish();
    };
    for (const dir of new Set(files.map((f) => dirname(f.path)))) {
      watchers.push(watch(dir, (_event, name) => check(name ?? undefined)));
    }
    const guard = setInterval(() => check(), 500);
    const deadline = setTimeout(() => {
      const left = [...state].filter(([, st]) => st.marks.size > 0).map(([p]) => p);
      finish(
        new Error(`log lines: ${left.length} file(s) incomplete after ${timeoutMs} ms: ${left.join(', ')}`),
      );
    }, timeoutMs);
    cancel = () => finish(new Error('cancelled'));
    check();
  });
  done.catch(() => {});
  return { done, cancel };
}

export interface Tally {
  /** Lines that never reached the file intact (missing, or cut in pieces). */
  lost: number;
  duplicated: number;
  reordered: number;
  /** Lines in the file that are not a whole numbered line: pieces of a line split by the tool. */
  fragments: number;
}

/** A whole line from log-lines.cjs, after whatever prefix (a timestamp) the tool put before it. */
const WHOLE = /L (\S+) (\d+) (x+)$/;
const PAD = 60;

/** Reads the files whole and checks every app's numbered lines (several apps may share a file). */
export function tallyLines(files: readonly Expect[]): Tally {
  const t: Tally = { lost: 0, duplicated: 0, reordered: 0, fragments: 0 };
  for (const path of new Set(files.map((f) => f.path))) {
    const mine = new Map(
      files
        .filter((f) => f.path === path)
        .map((f) => [f.tag, { f, seen: new Uint8Array(f.count), last: -1 }]),
    );
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const m = WHOLE.exec(line);
      const app = m ? mine.get(m[1] ?? '') : undefined;
      const n = Number(m?.[2]);
      if (!m || !app || m[3]?.length !== PAD || n >= app.f.count) {
        t.fragments++;
        continue;
      }
      if (app.seen[n]) t.duplicated++;
      app.seen[n] = 1;
      if (n < app.last) t.reordered++;
      app.last = n;
    }
    for (const { seen } of mine.values()) t.lost += seen.reduce((lost, s) => lost + (s ? 0 : 1), 0);
  }
  return t;
}
