// Helpers of the home fault tests: another user's processes and files (uid 65534), made by root with chown
// and node's spawn({ uid, gid }). Every process started here is ended by its pid.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, ROOT } from '../helpers/daemon.js';

export const NOBODY = 65534;

/** Why these tests cannot run here, or false: they need root to act as another user. */
export function needsRoot(): string | false {
  return process.getuid?.() === 0 ? false : 'needs root (to create files and processes of another user)';
}

export interface ForeignServer {
  pid: number;
  /** Ends the server and says what it received: connections and bytes. */
  report(): Promise<{ connections: number; bytes: number }>;
}

// A Unix socket server that records what it is sent; it says "listening" once it is, and its report when its
// stdin ends. Run as `uid`: an attacker's server in place of tend's socket or lock.
const SERVER = `
const net = require('node:net');
process.umask(0o177); // 0600, as tend makes its sockets: only the owner differs from tend's own
let connections = 0, bytes = 0;
const server = net.createServer((s) => {
  connections++;
  s.on('data', (d) => { bytes += d.length; });
  s.on('error', () => {});
});
server.listen(process.argv[1], () => process.stdout.write('listening\\n'));
process.stdin.resume();
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify({ connections, bytes }) + '\\n');
  process.exit(0);
});
`;

export async function foreignServer(path: string, uid = NOBODY): Promise<ForeignServer> {
  const child = spawn(process.execPath, ['-e', SERVER, path], {
    uid,
    gid: uid,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const out = lines(child);
  assertLine(await out.next(), 'listening');
  return {
    pid: child.pid as number,
    async report() {
      child.stdin?.end();
      const line = await out.next();
      await once(child, 'exit').catch(() => {});
      return JSON.parse(String(line)) as { connections: number; bytes: number };
    },
  };
}

/** A process of ours listening on `path` (a lock holder), killed with -9 once listening: a dead holder. */
export async function deadListener(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', SERVER, path], { stdio: ['pipe', 'pipe', 'inherit'] });
  assertLine(await lines(child).next(), 'listening');
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

function assertLine(line: string | null, expected: string): void {
  if (line !== expected) throw new Error(`expected "${expected}" from the helper server, got ${line}`);
}

/** The child's stdout, a line at a time (null at its end). */
function lines(child: ChildProcess): { next(): Promise<string | null> } {
  let buffered = '';
  let ended = false;
  let waiter: (() => void) | null = null;
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => {
    buffered += d;
    waiter?.();
  });
  child.stdout?.on('end', () => {
    ended = true;
    waiter?.();
  });
  return {
    async next() {
      for (;;) {
        const i = buffered.indexOf('\n');
        if (i >= 0) {
          const line = buffered.slice(0, i);
          buffered = buffered.slice(i + 1);
          return line;
        }
        if (ended) return null;
        await new Promise<void>((resolve) => {
          waiter = resolve;
        });
        waiter = null;
      }
    },
  };
}

/**
 * The built CLI, copied once into a folder every user can read: the checkout itself may not be readable by
 * another user (a clone in a 0700 temporary folder, as CI makes). The CLI bundle needs nothing else.
 */
let portable: string | null = null;
function portableCli(): string {
  if (portable !== null) return portable;
  const dir = mkdtempSync(join(tmpdir(), 'tend-cli-'));
  chmodSync(dir, 0o755);
  for (const part of ['bin', 'dist']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  portable = join(dir, 'bin', 'tend.js');
  return portable;
}

/** The built CLI run as another user (setuid by node's spawn), with its own environment. */
export function runCliAs(uid: number, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [portableCli(), ...args],
      {
        cwd: '/',
        uid,
        gid: uid,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', NO_COLOR: '1', ...env },
        timeout: 30_000,
      },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}
