// The bench's side of apps/spawner.cjs: a lean process that starts apps on request, for the floors.
import type { ChildProcess } from 'node:child_process';
import { app } from './apps.js';
import { exited, spawnTracked, stopTracked } from './child.js';
import type { BenchContext } from './context.js';
import { isAlive, killPid } from './proc.js';

export class Spawner {
  private constructor(private readonly child: ChildProcess) {}

  static async start(ctx: BenchContext, tag: string): Promise<Spawner> {
    const since = ctx.notify.mark();
    const child = spawnTracked(process.execPath, [app('spawner.cjs'), tag], {
      env: ctx.env,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    await ctx.notify.waitFor((n) => n.kind === 'ready' && n.tag === tag, {
      since,
      what: 'the spawner ready',
    });
    return new Spawner(child);
  }

  /**
   * Starts `count` node processes of `script` at once ("{i}" in args and out is the instance number); with
   * `out`, each one's stdout is streamed into that file.
   */
  spawn(count: number, script: string, args: readonly string[], out?: string): void {
    this.child.stdin?.write(`${JSON.stringify({ count, script: app(script), args, out })}\n`);
  }

  /** Kills apps it started, by the pids they announced. */
  kill(pids: Iterable<number>): void {
    for (const pid of pids) if (isAlive(pid)) killPid(pid);
  }

  /** Closes its stdin: it kills its apps and exits (else, after 5 s, it is killed). */
  async close(): Promise<void> {
    this.child.stdin?.end();
    if (!(await exited(this.child, 5000))) await stopTracked(this.child);
  }
}
