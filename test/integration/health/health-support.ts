// Shared by the health integration tests: a free loopback port, a fixture started in its own group and
// awaited until it announces itself, and a TCP "gate" that exec probes connect to and the test releases.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fixture, SAFETY_TIMEOUT_MS } from '../runtime/rt-support.js';

export { freePort } from '../../helpers/free-port.js';
export { Cleanup, fixture, SAFETY_TIMEOUT_MS } from '../runtime/rt-support.js';

/** Starts a fixture (own process group) and resolves once a stdout line matches `announce`. */
export async function startFixture(
  command: string,
  args: string[],
  env: Record<string, string>,
  announce: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${announce}`)), SAFETY_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before ${announce}`)));
    lines.on('line', (line) => {
      const m = announce.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
  });
  return { child, match };
}

export const nodeFixture = (name: string, env: Record<string, string>, announce: RegExp) =>
  startFixture(process.execPath, [fixture(name)], env, announce);

/**
 * The test's end of probe-gate.cjs: each probe connects and says its pid; the test waits for arrivals and
 * releases a probe with an exit code. Counts how many are held at once.
 */
export class Gate {
  readonly server = net.createServer((socket) => this.accept(socket));
  readonly held: { pid: number; socket: net.Socket }[] = [];
  arrivals = 0;
  released = 0;
  /** The most probes connected and not yet released at one time. */
  maxHeld = 0;
  private waiters: (() => void)[] = [];

  async listen(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Resolves once `n` probes have arrived in total. */
  arrived(n: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`gate: ${this.arrivals} of ${n} probes arrived`)),
        SAFETY_TIMEOUT_MS,
      );
      const check = (): void => {
        if (this.arrivals < n) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
      check();
    });
  }

  /** Lets the oldest held probe exit with `code`. */
  release(code = 0): number {
    const probe = this.held.shift();
    if (probe === undefined) throw new Error('gate: nothing held');
    this.released++;
    probe.socket.end(Buffer.from([code]));
    return probe.pid;
  }

  close(): void {
    for (const { socket } of this.held) socket.destroy();
    this.server.close();
  }

  private accept(socket: net.Socket): void {
    socket.on('error', () => {});
    createInterface({ input: socket }).once('line', (line) => {
      this.held.push({ pid: Number(line), socket });
      this.arrivals++;
      this.maxHeld = Math.max(this.maxHeld, this.arrivals - this.released);
      for (const waiter of [...this.waiters]) waiter();
    });
  }
}
