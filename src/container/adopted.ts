// The app a launch plan started (plan.ts): bin/tend-runtime.js's first line (sh) started it before Node and
// told the runtime its pid and output FIFOs (TEND_RUNTIME_ADOPTED); bin/tend-runtime.js took what the kernel
// shows of it (/proc/<pid>/cmdline, environ, cwd) as Node began, and opened the FIFOs. Here the runtime's
// first spawn, once it has read the config, is compared with that process: the same launch, and the process
// becomes the instance's (a ChildHandle like the spawner's); a different one (a config that read what sh
// could not check), and it is ended (SIGKILL to its group) and the right one spawned, with a warning.
//
// The process is this Node's child (the sh line exec'd Node; under tend-init.sh, the subshell that started it
// did), but not libuv's: Node cannot wait for it. Its end is seen on SIGCHLD, as a zombie in /proc/<pid>/stat,
// whose exit_code field (proc(5), field 52) is the wait status. The zombie stays until the runtime exits (in
// orchestrator mode, at once: the runtime ends with its app); after a reload, one `<defunct>` entry until then.
import { closeSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { Socket } from 'node:net';
import { SPAWN_TAG } from '../runtime/env-tag.js';
import { type KnownDescendants, reapTree, signalTree, waitGone } from '../runtime/kill-tree.js';
import { isGone, readProcStat } from '../runtime/proc-stat.js';
import { signalName } from '../runtime/signals.js';
import { shebangLine } from '../runtime/spawn-error.js';
import type { ChildHandle, ChildHooks, Spawner, SpawnRequest } from '../supervisor/ports.js';

/** What bin/tend-runtime.js took of the planned process as Node began (Symbol.for('tend-runtime.adopted')). */
export interface Adoption {
  pid: number;
  /** The FIFOs' read ends (opened, their names removed), or null when they could not be opened. */
  out: number | null;
  err: number | null;
  /** What /proc showed then; null when it could not be read (the process had ended already). */
  cmdline: string[] | null;
  environ: string[] | null;
  cwd: string | null;
  ppid: number | null;
}

/** A launch plan that was asked for (TEND_RUNTIME_PLAN) and not used: why (sh's reason, or the file's). */
export function planNotUsed(env: NodeJS.ProcessEnv, adoption: Adoption | null): string | null {
  const file = env.TEND_RUNTIME_PLAN;
  if (!file || adoption) return null;
  const skipped = (globalThis as Record<symbol, unknown>)[Symbol.for('tend-runtime.plan-skipped')];
  if (typeof skipped === 'string' && skipped !== '') return `launch plan ${file} not used: ${skipped}`;
  return `launch plan ${file} not used: it cannot be read, or is no plan (write it with \`tend-runtime plan\`)`;
}

/** The adoption bin/tend-runtime.js recorded (its early signal handlers read it too), or null. */
export function recordedAdoption(): Adoption | null {
  return (
    ((globalThis as Record<symbol, unknown>)[Symbol.for('tend-runtime.adopted')] as Adoption | undefined) ??
    null
  );
}

/** The process's wait status once it has ended (a zombie), else undefined; gone: ended, status unknown. */
function endOf(pid: number): { code: number | null; signal: string | null } | undefined {
  const stat = readProcStat(pid);
  if (stat === undefined) return { code: null, signal: null };
  if (!isGone(stat)) return undefined;
  const status = stat.exitStatus;
  if (status === undefined) return { code: null, signal: null };
  const sig = status & 0x7f;
  if (sig === 0) return { code: (status >> 8) & 0xff, signal: null };
  return { code: null, signal: signalName(sig) ?? `SIG${sig}` };
}

function split(text: string): string[] {
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

/** What /proc shows of the process now (bin/tend-runtime.js does the same as Node begins). */
export function observe(pid: number): Pick<Adoption, 'cmdline' | 'environ' | 'cwd' | 'ppid'> {
  const read = <T>(f: () => T): T | null => {
    try {
      return f();
    } catch {
      return null;
    }
  };
  const stat = readProcStat(pid);
  const cmdline = read(() => split(readFileSync(`/proc/${pid}/cmdline`, 'utf8')));
  return {
    ppid: stat?.ppid ?? null,
    // A zombie shows an empty command line and environment: nothing to compare.
    cmdline: cmdline && cmdline.length > 0 ? cmdline : null,
    environ:
      cmdline && cmdline.length > 0 ? read(() => split(readFileSync(`/proc/${pid}/environ`, 'utf8'))) : null,
    cwd: read(() => readlinkSync(`/proc/${pid}/cwd`)),
  };
}

/** What may come before the command in /proc/<pid>/cmdline (NUL-joined), for difference(). */
function allowedHeads(command: string): string[] {
  const launchers = [[], ['setsid'], ['setpriv', '--pdeathsig', 'KILL', 'setsid']];
  const heads = launchers.map((h) => h.join('\0'));
  // A script's #! line: the kernel runs `interpreter [one argument] script args…`.
  let line: string | null = null;
  try {
    line = shebangLine(command);
  } catch {
    // not readable: no #! line to allow
  }
  if (line !== null) {
    const words = line.trim().split(/\s+/, 2).filter(Boolean);
    const rest = line
      .trim()
      .slice((words[0] ?? '').length)
      .trim();
    const interp = [words[0] ?? '', ...(rest ? [rest] : [])];
    heads.push(interp.join('\0'));
    // `#!/usr/bin/env node`: env execs node with the name as it was given; `env -S node --flag` splits first.
    if (/(^|\/)env$/.test(words[0] ?? '') && rest) {
      if (!rest.startsWith('-')) heads.push(rest.split(/\s+/)[0] as string);
      else if (/^-S\s*/.test(rest))
        heads.push(
          rest
            .replace(/^-S\s*/, '')
            .split(/\s+/)
            .filter(Boolean)
            .join('\0'),
        );
    }
  }
  return heads;
}

/** difference()'s answer for a process that ended before /proc showed anything of it. */
export const ENDED_UNSEEN = 'it ended before it could be compared with the config';

/** The planned process runs what `req` asks for; else the first difference (names only: values may be secret). */
export function difference(a: Adoption, req: SpawnRequest, self = process.pid): string | null {
  if (a.ppid !== null && a.ppid !== self) return `it is not this runtime's child (its parent is ${a.ppid})`;
  if (req.ipc || req.notify || req.cluster)
    return 'the app needs an IPC channel, the notify pipe or cluster mode';
  if (a.out === null || a.err === null)
    return "its output FIFOs could not be opened (they must be FIFOs of this user's)";
  const wanted = [req.command, ...req.args];
  const cmd = a.cmdline;
  // Ended before anything of it could be seen (a zombie shows nothing): whether it ran what the config asks
  // for cannot be told, so its run does not count.
  if (cmd === null || a.environ === null) return ENDED_UNSEEN;
  // The command it runs is the tail; before it only what the plan's launch or the kernel puts there:
  // setpriv and setsid between their execs as Node began, a script's own #! interpreter (or, for
  // `#!/usr/bin/env node`, the program env ran).
  const tail = cmd.slice(cmd.length - wanted.length);
  const head = cmd.slice(0, cmd.length - wanted.length).join('\0');
  if (
    tail.length !== wanted.length ||
    !tail.every((w, i) => w === wanted[i]) ||
    !allowedHeads(req.command).includes(head)
  )
    return `its command line is not \`${wanted.join(' ')}\``;
  const seen = new Map<string, string>();
  for (const entry of a.environ) {
    const eq = entry.indexOf('=');
    if (eq > 0) seen.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  seen.delete(SPAWN_TAG);
  for (const [k, v] of Object.entries(req.env)) {
    if (!seen.has(k)) return `its environment lacks ${k}`;
    if (seen.get(k) !== v) return `its ${k} differs`;
  }
  for (const k of seen.keys())
    if (!(k in req.env)) return `its environment has ${k}, which the app's has not`;
  if (a.cwd !== null) {
    let cwd = req.cwd;
    try {
      cwd = realpathSync(req.cwd);
    } catch {
      // compared as given
    }
    if (a.cwd !== cwd) return `its working directory is ${a.cwd}, not ${cwd}`;
  }
  return null;
}

/** The planned process's tag (TEND_SPAWN_ID, set by the plan), from what /proc showed. */
function tagOf(a: Adoption): string | undefined {
  const entry = a.environ?.find((e) => e.startsWith(`${SPAWN_TAG}=`));
  return entry?.slice(SPAWN_TAG.length + 1);
}

function closeFds(a: Adoption): void {
  for (const fd of [a.out, a.err])
    if (fd !== null)
      try {
        closeSync(fd);
      } catch {
        // closed
      }
}

/**
 * Ends the planned process and its tree now (SIGKILL to its group and to what left it), and waits (bounded)
 * until the leader is dead: a server's port must be free for the one spawned next.
 */
function endPlanned(a: Adoption): void {
  reapTree(a.pid, new Map(), tagOf(a));
  // SIGKILL is delivered within microseconds; a process in uninterruptible sleep must not hang the start.
  const deadline = Date.now() + 500;
  while (endOf(a.pid) === undefined && Date.now() < deadline) {
    // spin: the kernel is tearing it down
  }
  closeFds(a);
}

type Observed = Pick<Adoption, 'cmdline' | 'environ' | 'cwd' | 'ppid'>;

/**
 * The planned process against the config's launch, from two looks at it: bin/tend-runtime.js's as Node began
 * (before the app could change its own command line: a process.title of its own) and one now (the first may
 * have caught it still on its way, a subshell not yet past its exports and execs, on a loaded machine: the CI
 * saw it). Either showing the launch asked for is the process having run it; else the later look's difference.
 */
export function judge(
  early: Adoption,
  now: Observed,
  req: SpawnRequest,
): { seen: Adoption; diff: string | null } {
  const first = { ...early, ...over(early, now) };
  if (difference(first, req) === null) return { seen: first, diff: null };
  const later = { ...early, ...over(now, early) };
  return { seen: later, diff: difference(later, req) };
}

/** What one look showed, what it could not see taken from the other. */
function over(look: Observed, other: Observed): Observed {
  return {
    cmdline: look.cmdline ?? other.cmdline,
    environ: look.environ ?? other.environ,
    cwd: look.cwd ?? other.cwd,
    ppid: look.ppid ?? other.ppid,
  };
}

/** The planned process, held by the runtime from its start until its first spawn takes it or ends it. */
export interface PlannedApp {
  /** The spawner whose first spawn is compared with the planned process (difference()); the rest go to `inner`. */
  wrap(inner: Spawner): Spawner;
}

/**
 * Holds the planned process from the runtime's start: should the runtime exit before its first spawn has taken
 * it (a config that no longer loads, a usage error), it is ended with it (SIGKILL to its group), never left.
 */
export function holdPlanned(adoption: Adoption, say: (line: string) => void): PlannedApp {
  let pending = true;
  const onExit = () => {
    if (!pending) return;
    pending = false;
    endPlanned(adoption);
    say(
      `the app started from the launch plan (pid ${adoption.pid}) was ended (SIGKILL): the runtime did not run`,
    );
  };
  process.on('exit', onExit);
  return {
    wrap: (inner) => ({
      spawn(req: SpawnRequest, hooks: ChildHooks): ChildHandle {
        if (!pending) return inner.spawn(req, hooks);
        pending = false;
        process.off('exit', onExit);
        // What /proc shows now, where bin/tend-runtime.js saw nothing yet (it had not exec'd its command).
        const { seen, diff } = judge(adoption, observe(adoption.pid), req);
        if (diff !== null) {
          say(
            diff === ENDED_UNSEEN
              ? `warning: the app started from the launch plan (pid ${adoption.pid}) ended before tend-runtime could compare it with the config: its run does not count, started again (TEND_ERR_NOTICE)`
              : `warning: the app started from the launch plan (pid ${adoption.pid}) is not the one the config asks for (${diff}): ended (SIGKILL) and started again; write the plan again (tend-runtime plan) (TEND_ERR_NOTICE)`,
          );
          endPlanned(adoption);
          return inner.spawn(req, hooks);
        }
        say(
          `launch plan: the app's process (pid ${adoption.pid}) started before the runtime's Node, adopted`,
        );
        return adoptedHandle(seen, hooks);
      },
    }),
  };
}

/**
 * When the process began, in ms since the epoch: its start in /proc/<pid>/stat (clock ticks since boot,
 * 100 a second as everywhere Linux runs tend: runtime/inspector.ts) against /proc/uptime now (the same clock).
 */
function startedAtOf(pid: number): number | undefined {
  try {
    const stat = readProcStat(pid);
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    if (!stat || !Number.isFinite(uptime)) return undefined;
    return Math.round(Date.now() - (uptime * 1000 - stat.starttime * 10));
  } catch {
    return undefined;
  }
}

function readable(fd: number | null): Socket | null {
  if (fd === null) return null;
  try {
    return new Socket({ fd, readable: true, writable: false });
  } catch {
    try {
      closeSync(fd);
    } catch {
      // closed
    }
    return null;
  }
}

/** The planned process as the supervisor's child (runtime/spawner.ts's watch(), for a process Node did not spawn). */
function adoptedHandle(a: Adoption, hooks: ChildHooks): ChildHandle {
  const { pid } = a;
  const tag = tagOf(a);
  const known: KnownDescendants = new Map();
  let settled = false;
  // The loop must wait for its end, as for a child Node spawned (whose process handle is referenced): signal
  // handlers are not, and once its output FIFOs ended, nothing else might hold the runtime (no listener).
  const alive = setInterval(() => {}, 1 << 30);
  const check = () => {
    if (settled) return;
    const end = endOf(pid);
    if (end === undefined) return;
    settled = true;
    clearInterval(alive);
    process.off('SIGCHLD', check);
    // As the spawner: the supervisor hears of the exit once nothing of the tree is left running.
    void waitGone(reapTree(pid, known, tag)).then(() => hooks.onExit(end.code, end.signal));
  };
  process.on('SIGCHLD', check);
  // Ended already (between the observation and now, or before): no SIGCHLD is coming for it.
  process.nextTick(check);
  return {
    pid,
    startedAt: startedAtOf(pid),
    stdout: readable(a.out),
    stderr: readable(a.err),
    notify: null,
    signalTree(signal: NodeJS.Signals): void {
      if (settled) return;
      signalTree(pid, signal, known, tag);
    },
    send: () => false,
  };
}
