// One cluster worker as the supervisor sees it: the ChildHandle of a ProcessUnit in cluster mode. The worker
// is a child of the app's primary, not of the daemon, so what a plain child reports by itself arrives here as
// the primary's messages (forked, listening, ready, disconnected, output, exit), and signals go to the worker
// pid and its descendants found in /proc: never to the process group, which is the primary's.
import { PassThrough } from 'node:stream';
import { type KnownDescendants, reapOrphans, signalProcessTree, waitGone } from '../runtime/kill-tree.js';
import { isGone, readProcStat } from '../runtime/proc-stat.js';
import type { ChildHandle, ChildHooks } from '../supervisor/ports.js';
import type { DaemonToPrimary } from './messages.js';

/** What a worker needs of its primary. */
export interface PrimaryLink {
  /** The primary's pid: the process group the workers live in. */
  readonly pid: number | undefined;
  send(message: DaemonToPrimary): boolean;
  /** The worker's exit has been reported: the primary may shut down if it was the last. */
  workerGone(ref: number): void;
}

export class WorkerHandle implements ChildHandle {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  private workerPid: number | undefined;
  /** With the pid, identifies the worker: a pid recycled after its exit is never signalled. */
  private starttime: number | undefined;
  private readonly known: KnownDescendants = new Map();
  private state: 'forking' | 'running' | 'exited' = 'forking';
  private connected = true;
  /** A signal asked for before the pid was known (SIGKILL wins). */
  private pendingSignal: NodeJS.Signals | null = null;
  private disconnectAsked = false;
  private afterDisconnect: (() => void)[] = [];

  constructor(
    private readonly primary: PrimaryLink,
    readonly ref: number,
    private readonly hooks: ChildHooks,
  ) {}

  get pid(): number | undefined {
    return this.workerPid;
  }

  signalTree(signal: NodeJS.Signals): void {
    if (this.state === 'exited') return;
    if (this.state === 'forking' || this.workerPid === undefined) {
      if (this.pendingSignal !== 'SIGKILL') this.pendingSignal = signal;
      return;
    }
    const stat = readProcStat(this.workerPid);
    if (isGone(stat) || stat?.starttime !== this.starttime) return;
    signalProcessTree(this.workerPid, signal, this.known);
  }

  send(message: unknown): boolean {
    if (this.state !== 'running' || !this.connected) return false;
    return this.primary.send({ type: 'send', ref: this.ref, message });
  }

  disconnect(then: () => void): void {
    if (this.state === 'exited' || !this.connected) {
      then();
      return;
    }
    this.afterDisconnect.push(then);
    if (this.disconnectAsked) return;
    this.disconnectAsked = true;
    if (this.state === 'running') this.primary.send({ type: 'disconnect', ref: this.ref });
  }

  // ---- what the primary reports ----

  forked(pid: number | null, error: string | null): void {
    if (this.state !== 'forking') return;
    if (pid === null) {
      this.fail(`the cluster primary could not fork a worker: ${error ?? 'unknown error'}`);
      this.primary.workerGone(this.ref);
      return;
    }
    this.workerPid = pid;
    this.starttime = readProcStat(pid)?.starttime;
    this.state = 'running';
    this.hooks.onSpawned?.();
    if (this.pendingSignal === 'SIGKILL') this.signalTree('SIGKILL');
    else if (this.disconnectAsked) this.primary.send({ type: 'disconnect', ref: this.ref });
    else if (this.pendingSignal) this.signalTree(this.pendingSignal);
  }

  listening(address: string | null, port: number | null): void {
    if (this.state === 'running') this.hooks.onListening?.({ address, port });
  }

  ready(): void {
    if (this.state === 'running') this.hooks.onMessage('ready');
  }

  /** An answer of the worker to the daemon (forwarded by the primary). */
  message(message: unknown): void {
    if (this.state === 'running') this.hooks.onMessage(message);
  }

  disconnected(): void {
    this.connected = false;
    const waiting = this.afterDisconnect;
    this.afterDisconnect = [];
    for (const then of waiting) then();
  }

  output(fd: 1 | 2, data: Buffer): void {
    const stream = fd === 1 ? this.stdout : this.stderr;
    if (!stream.writableEnded) stream.write(data);
  }

  eof(fd: 1 | 2): void {
    (fd === 1 ? this.stdout : this.stderr).end();
  }

  /** The worker exited: kill what is left of its tree, then tell the unit (as the fork spawner does). */
  exited(code: number | null, signal: string | null): void {
    if (this.state === 'exited') return;
    this.state = 'exited';
    this.disconnected();
    const victims = this.primary.pid === undefined ? [] : reapOrphans(this.primary.pid, this.known);
    void waitGone(victims).then(() => {
      this.hooks.onExit(code, signal);
      this.primary.workerGone(this.ref);
    });
  }

  /** The primary is gone, and with it this worker (the spawner killed the primary's whole group). */
  primaryGone(reason: string): void {
    if (this.state === 'exited') return;
    const wasForking = this.state === 'forking';
    this.state = 'exited';
    this.stdout.end();
    this.stderr.end();
    this.disconnected();
    if (wasForking) this.fail(reason);
    else this.hooks.onExit(null, 'SIGKILL');
  }

  private fail(reason: string): void {
    this.state = 'exited';
    this.stdout.end();
    this.stderr.end();
    // The unit reads `code ?? message`: no code, so the message is the reason shown in last_error.
    this.hooks.onSpawnError(new Error(reason));
  }
}
