// Log test helpers: run an app to its end and make its files final (delete waits for the pipes to end and
// the writers to drain and close), and check numbered-line sequences.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { AppInput } from '../../src/config/input-types.js';
import type { TestDaemon } from './daemon.js';
import { reached, watch } from './until.js';

/**
 * Starts apps that exit on their own (autorestart off), waits until each is stopped, then deletes them:
 * the delete replies once every line they wrote is in the files and rotations are complete.
 */
export async function runToEnd(d: TestDaemon, apps: AppInput[], timeoutMs = 60_000): Promise<void> {
  const w = await watch(d.home);
  try {
    await d.client.call('app.start', {
      apps: apps.map((a) => ({ autorestart: false, ...a })),
      base_dir: d.home,
      wait: false,
    });
    const names = apps.map((a) => String(a.name));
    // Every instance of each app: the ids seen stopping, until there are as many as instances.
    await Promise.all(
      apps.map((a) => {
        const name = String(a.name);
        const count = typeof a.instances === 'number' ? a.instances : 1;
        const stopped = new Set<number>();
        return w.until(
          (e) => {
            if (e.event === 'process.state' && reached(name, 'stopped')(e)) stopped.add(e.data.id);
            return stopped.size >= count;
          },
          { timeoutMs, what: `${name} stopped (${count} instances)` },
        );
      }),
    );
    await d.client.call('process.delete', { target: names });
  } finally {
    await w.close();
  }
}

/** A file and its rotated siblings, oldest first, live last, decompressed. */
export function readRotated(dir: string, live: string): string {
  const base = live.replace(/\.log$/, '');
  const rotated = readdirSync(dir)
    .filter((n) => n.startsWith(`${base}__`) && !n.endsWith('.tmp'))
    .sort();
  let text = '';
  for (const n of rotated) {
    const raw = readFileSync(join(dir, n));
    text += (n.endsWith('.gz') ? gunzipSync(raw) : raw).toString();
  }
  return text + readFileSync(join(dir, live), 'utf8');
}

/** Asserts `text` holds exactly lines "… L <tag> 0 x…" to "L <tag> count-1 x…", in order, once each. */
export function assertSequence(text: string, tag: string, count: number): void {
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  assert.equal(lines.length, count, `${tag}: ${lines.length} lines, expected ${count}`);
  const pad = 'x'.repeat(60);
  for (let i = 0; i < count; i++) {
    const line = lines[i] as string;
    if (!line.endsWith(`L ${tag} ${i} ${pad}`)) {
      assert.fail(`${tag}: line ${i} is ${JSON.stringify(line.slice(0, 120))}`);
    }
  }
}
