#!/bin/sh
":" //; [ -n "${NODE_EXTRA_CA_CERTS+x}" ] && export TEND_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" && unset NODE_EXTRA_CA_CERTS; [ -n "${NODE_OPTIONS+x}" ] && export TEND_NODE_OPTIONS="$NODE_OPTIONS" && unset NODE_OPTIONS; n=${TEND_RUNTIME_NODE_FLAGS---no-turbofan --no-maglev --no-sparkplug --regexp-interpret-all --enable-experimental-regexp-engine-on-excessive-backtracks --expose-gc --compact-on-every-full-gc}; [ "$$" = 1 ] && for s in TERM INT QUIT HUP USR1 USR2; do trap "tend_init_pending=\"\$tend_init_pending $s\"" $s; done; unset tend_plan tend_plan_go tend_plan_bin TEND_RUNTIME_ADOPTED TEND_RUNTIME_PLAN_SKIPPED; [ -n "${TEND_RUNTIME_PLAN-}" ] && [ "${1-}" != probe ] && [ "${1-}" != plan ] && { case $TEND_RUNTIME_PLAN in /*) p=$TEND_RUNTIME_PLAN;; *) p=./$TEND_RUNTIME_PLAN;; esac; [ -f "$p" ] && [ -r "$p" ] && command . "$p" && [ -n "${tend_plan-}" ] && tend_plan_check "$@"; }; [ "$$" != 1 ] && { [ -n "${tend_plan_go-}" ] && tend_plan_start; exec node $n -- "$0" "$@"; }; f=${tend_plan_bin-}; [ -n "$f" ] && [ "$0" -ef "$f" ] || f=$(readlink -f "$0" 2>/dev/null) || f=$0; export TEND_RUNTIME_INIT=1; set -- node $n -- "$f" "$@"; . "${f%/*}/tend-init.sh"
// tend-runtime (issue 15): the container runtime's entry. Same sh/Node polyglot as bin/tend.js (see there),
// with one more duty for sh: when it is PID 1 (a container without --init, every Kubernetes pod), it does not
// exec Node but runs bin/tend-init.sh, a minimal init in POSIX sh that runs Node as its child, reaps the
// orphans Node cannot (no waitpid(-1) in Node), forwards the signals and exits with Node's status. It is
// sourced (`.`), not exec'd, and the line's traps come first: PID 1 gets no signal it has no handler for, so a
// stop signal in those first milliseconds is kept (tend_init_pending) instead of lost (fifth audit: a pod
// deleted as it started ran on until SIGKILL). readlink -f: the npm bin link points here, and tend-init.sh
// sits beside the real file. Under another init (docker
// --init, tini, systemd) PID 1 is not this shell, and it execs Node as tend.js does.
// Node's flags ($n): V8's interpreter only (no Sparkplug, Maglev or TurboFan code), as the daemon's --lite-mode
// does (client/ensure-daemon.ts), for the same reason: a mostly idle I/O loop, for which optimised code and its
// feedback cost ~9 MiB of RSS once it has served logs and scrapes for a minute (51 against 60 MiB, measured).
// Not --lite-mode itself: without --no-expose-wasm it prints a V8 warning on Node 20 and 22, and Node 24
// refuses that flag, and sh cannot tell the versions apart without starting Node once more. Nor --jitless,
// which warns likewise. --regexp-interpret-all is the part of --jitless that matters here: regular expressions
// run in V8's regexp interpreter instead of being compiled to machine code, and the runtime keeps no code
// space at all (0.2 MiB of RSS, measured 2026-12-04; its expressions run once per config, not per log line).
// --enable-experimental-regexp-engine-on-excessive-backtracks: an expression that backtracks without end (a
// ready_log_line of the user's, `/(a+)+$/`, against a line of 40 a's: hours) is finished by V8's linear engine
// after 50 000 backtracks instead of blocking the runtime (tenth audit; client/ensure-daemon.ts likewise).
// --expose-gc and --compact-on-every-full-gc: the runtime runs one compacting collection of its own once its apps
// are spawned (src/runtime/compact-heap.ts), which frees what reading the config left and gives its pages back
// before the first probe: 46.0 -> 44.6 MiB of RSS right after the first /readyz (measured 2026-12-05). Every
// later full collection of the runtime compacts too (a few ms more on a heap of a few MiB, and fewer pages).
// These seven are accepted silently by Node 20 (the first five by 22 and 24 too). TEND_RUNTIME_NODE_FLAGS replaces
// them (empty: none), should a later Node refuse one. Unquoted on purpose: one word per flag.
// NODE_EXTRA_CA_CERTS (the line above): Node 20 and 22 read that file and build the whole root certificate store
// when the process starts, whether it ever speaks TLS or not: 45 ms and 1.8 MiB of RSS for every Node process
// (measured 2026-12-04, `node -e 0` 0.10 against 0.05 s). The runtime makes no verified TLS connection (an
// https probe does not check the certificate, as Kubernetes), so its own Node starts without it, and the
// variable is put back below, before anything reads the environment: the apps get it as the user set it.
// TEND_RUNTIME_PLAN: a launch plan (src/container/plan.ts, `tend-runtime plan`), sourced by the line (a relative
// name from here, not searched in PATH) when it is a readable file; its tend_plan_check compares the arguments,
// $PWD, the config's checksums and the variables it read, then the app starts (tend_plan_start) before this
// Node: from this shell, which execs Node next, or as PID 1 from tend-init.sh's subshell, which becomes Node, so
// that it is Node's child either way. tend_plan_bin (the resolved bin the plan was written by) spares PID 1 the
// readlink when "$0" is that same file.
// NODE_OPTIONS likewise (third audit): it is the apps' (an APM agent's --require, an --inspect port, heap
// sizes), not the supervisor's: loaded by the runtime's Node too, an agent counted the runtime as a service
// and an --inspect took the app's debug port.
'use strict';
// Empty is unset: an exported systemd unit moves them aside itself (`TEND_NODE_OPTIONS=${NODE_OPTIONS}`,
// src/export/systemd.ts), which is empty when the variable is not set; for Node an empty one is none anyway.
for (const name of ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS']) {
  const moved = process.env[`TEND_${name}`];
  if (moved === undefined) continue;
  delete process.env[`TEND_${name}`];
  if (moved !== '') process.env[name] = moved;
}
// A launch plan's app (src/container/plan.ts): the first line started it before this Node and named it in
// TEND_RUNTIME_ADOPTED ("PID FIFO-BASE"). What the kernel shows of it is taken now, as early as can be (before
// the app's own Node has run any of its code: a process.title of its own would change its command line), and
// its output FIFOs are opened (the app may write before the runtime reads) and their names removed. The
// runtime compares it with the config's launch (src/container/adopted.ts). TEND_RUNTIME_PLAN_SKIPPED: why sh
// did not use the plan, said by the runtime.
{
  const skipped = process.env.TEND_RUNTIME_PLAN_SKIPPED;
  delete process.env.TEND_RUNTIME_PLAN_SKIPPED;
  if (skipped !== undefined) globalThis[Symbol.for('tend-runtime.plan-skipped')] = skipped;
  const adopted = process.env.TEND_RUNTIME_ADOPTED;
  delete process.env.TEND_RUNTIME_ADOPTED;
  const m = adopted === undefined ? null : /^([1-9][0-9]*) (\/[\s\S]+)$/.exec(adopted);
  if (m) {
    const fs = require('node:fs');
    const pid = Number(m[1]);
    const read = (f) => {
      try {
        return f();
      } catch {
        return null;
      }
    };
    const split = (text) => {
      const parts = text.split('\0');
      if (parts.at(-1) === '') parts.pop();
      return parts.length > 0 ? parts : null;
    };
    // Only a FIFO of this user's, not through a link (the house rule for what is the user's own).
    const open = (path) => {
      const { O_RDONLY, O_NONBLOCK, O_NOFOLLOW } = fs.constants;
      const fd = read(() => fs.openSync(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW));
      read(() => fs.unlinkSync(path));
      if (fd === null) return null;
      const st = read(() => fs.fstatSync(fd));
      if (st?.isFIFO() && st.uid === process.getuid()) return fd;
      read(() => fs.closeSync(fd));
      return null;
    };
    const stat = read(() => fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    globalThis[Symbol.for('tend-runtime.adopted')] = {
      pid,
      out: open(`${m[2]}.out`),
      err: open(`${m[2]}.err`),
      ppid: stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : null,
      // A zombie (ended already) shows neither: null, nothing to compare.
      cmdline: read(() => split(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))),
      environ: read(() => split(fs.readFileSync(`/proc/${pid}/environ`, 'utf8'))),
      cwd: read(() => fs.readlinkSync(`/proc/${pid}/cwd`)),
    };
  }
}
// The environment the runtime runs with (its apps' is made from it): `tend-runtime plan` writes the plan's
// launch as the differences from it.
globalThis[Symbol.for('tend-runtime.environment')] = { ...process.env };
// --json or --log-format json (read here before the runtime parses them, best effort: src/container/args.ts's
// asksJson): this file's own lines are JSON objects too, as every line on both streams then (sixth audit).
const json = (() => {
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length && a[i] !== '--'; i++)
    if (a[i] === '--json' || a[i] === '--log-format=json' || (a[i] === '--log-format' && a[i + 1] === 'json'))
      return true;
  return false;
})();
const say = (text) =>
  process.stderr.write(
    json
      ? `${JSON.stringify({ time: new Date().toISOString(), app: null, instance_id: null, stream: 'err', message: `tend-runtime: ${text}` })}\n`
      : `tend-runtime: ${text}\n`,
  );
const underInit = process.env.TEND_RUNTIME_INIT !== undefined;
if (underInit) {
  // Set by the line above for this process only: the apps must not inherit it. The runtime learns it here
  // (src/container/strays.ts: what is left in the container at the end gets SIGTERM, then SIGKILL).
  delete process.env.TEND_RUNTIME_INIT;
  globalThis[Symbol.for('tend-runtime.under-init')] = true;
} else if (process.pid === 1) {
  say(
    'warning: Node is PID 1 here (started as `node tend-runtime.js`?): orphaned processes will not be reaped. Run the `tend-runtime` command itself, or give the container an init (docker run --init). (TEND_ERR_NOTICE)',
  );
}
// A stop signal before the runtime has its own handlers (Node's start, loading the bundle and the config,
// up to 60 s for a slow config file) finds no app started yet: a clean stop, exit 0, not Node's default death
// by the signal (143; third audit). The runtime removes these once its own handlers are in place, before it
// spawns anything (src/container/run.ts).
// HUP, USR1 and USR2 then have nothing to reload or forward to: said and ignored (their default would end
// the runtime with 129 or 140, and SIGUSR1's opens Node's inspector on 127.0.0.1:9229 in the supervisor:
// the fourth audit).
if (process.argv[2] !== 'probe') {
  const early = (signal) => {
    // A launch plan's app runs already: it is stopped as any app is, once the runtime has read the config
    // and adopted it (src/container/run.ts), not left behind by an exit now.
    if (globalThis[Symbol.for('tend-runtime.adopted')]) {
      if (globalThis[Symbol.for('tend-runtime.early-stop')]) return;
      globalThis[Symbol.for('tend-runtime.early-stop')] = signal;
      say(`${signal} as tend-runtime starts: the app started from the launch plan is stopped once the config is read`);
      return;
    }
    say(`${signal} before any app was started: exit 0`);
    // A deliberate 0: not the config file ending the process while it is read (src/container/run.ts).
    globalThis[Symbol.for('tend-runtime.stopped-early')] = true;
    process.exit(0);
  };
  const ignored = (signal) => say(`${signal} before any app was started: nothing to do, ignored`);
  const stops = ['SIGTERM', 'SIGINT', 'SIGQUIT'];
  const others = ['SIGHUP', 'SIGUSR1', 'SIGUSR2'];
  for (const s of stops) process.on(s, early);
  for (const s of others) process.on(s, ignored);
  globalThis[Symbol.for('tend-runtime.early-signals')] = () => {
    for (const s of stops) process.off(s, early);
    for (const s of others) process.off(s, ignored);
  };
}
// Under tend-init.sh (PID 1): our handlers are in place, tell it (SIGURG) to forward the signals it held
// until now (bin/tend-init.sh: one forwarded earlier would have ended this Node by the default action, 143).
if (underInit) {
  try {
    process.kill(process.ppid, 'SIGURG');
  } catch {
    // tend-init.sh gone: nothing to tell.
  }
}
// The probe (Docker's HEALTHCHECK, every few seconds) loads its own small bundle: node:http and nothing else.
require(process.argv[2] === 'probe' ? '../dist/runtime-probe.cjs' : '../dist/runtime.cjs');
