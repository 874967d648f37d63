// `tend-runtime <ecosystem file | script> [flags]`: the foreground runtime (issue 15). No daemon: this process
// supervises the apps with tend's own core (daemon/core.ts), writes their output to its stdout/stderr, and
// ends with an exit code that tells the orchestrator the truth (outcome.ts). Signals: TERM/INT/QUIT stop the
// apps in reverse dependency order within --grace-period (shutdown.ts), HUP is a rolling reload gated on
// readiness, USR1/USR2 are forwarded to the apps' processes.
import type { AppSpec } from '../config/spec.js';
import type { DaemonContext } from '../daemon/context.js';
import type { Core } from '../daemon/core.js';
import { openCore } from '../daemon/core.js';
import { notifyReady } from '../daemon/systemd-ready.js';
import { LogBus } from '../logs/log-bus.js';
import { isTendError, TendError } from '../protocol/errors.js';
import { type HomePaths, homePaths, resolveHome } from '../protocol/home.js';
import type { ProcessInfo } from '../protocol/process-info.js';
import { releaseBundle, requireBundle } from '../runtime/bundle.js';
import { realClock } from '../runtime/clock.js';
import { compactHeapOnce } from '../runtime/compact-heap.js';
import { isoTime } from '../runtime/utc-time.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { VERSION } from '../version.js';
import { holdPlanned, type PlannedApp, planNotUsed, recordedAdoption } from './adopted.js';
import { asksJson, parseRuntimeArgs, type RuntimeOptions, USAGE } from './args.js';
import { runtimeContext } from './context.js';
import type { Control, HomeClaim } from './control.js';
import { bindHealth, type HealthAddress, type HealthListener, serveHealthOnDemand } from './health.js';
import { takeOverConsole } from './json-output.js';
import type { LoadedApps } from './load-apps.js';
import { appEnding, type Ending, interruptedOneShot, judgeEnd, type OutcomeRules } from './outcome.js';
import { repeatWindowMs, shutDown, signalRepeats } from './shutdown.js';
import { createStdoutSinks, jsonLine } from './stdout-sinks.js';
import { containerStrays, sweepStrays } from './strays.js';
import { TimeoutKills } from './timeout-kills.js';
import { trackChildren } from './track-children.js';

type ControlModule = typeof import('./control.js');
type LoadAppsModule = typeof import('./load-apps.js');

/** dist/runtime-config.cjs: reading the config (the file loader, the normalisation, zod), once, at start. */
const CONFIG_BUNDLE = 'runtime-config.cjs';

/**
 * The apps' specs, read by the config bundle, which is released once they are made (scripts/build.mjs):
 * nothing of it is used again (a control socket's `tend start` validates with dist/runtime-control.cjs's
 * own copy). Its own function, so that no suspended frame of the runtime holds the module.
 */
export async function loadApps(
  options: RuntimeOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedApps> {
  const config = requireBundle<LoadAppsModule>(import.meta.url, CONFIG_BUNDLE, './load-apps.js');
  try {
    return await config.loadRuntimeApps(options, env);
  } finally {
    if (releaseBundle(import.meta.url, CONFIG_BUNDLE)) config.releaseZodGlobals();
  }
}

/**
 * The control socket's code (the daemon's socket server, dispatch, handlers and protocol schemas) is its own
 * bundle, dist/runtime-control.cjs, required only with --control (or TEND_HOME): built into dist/runtime.cjs,
 * its source and the schemas it builds at load cost every runtime RSS for a socket that is off by default.
 */
function loadControl(): ControlModule {
  return requireBundle<ControlModule>(import.meta.url, 'runtime-control.cjs', './control.js');
}

/** --log-format json: the runtime's own lines are JSON objects too (app null), so stderr is JSON throughout. */
let ownLinesJson = false;
const say = (line: string) =>
  process.stderr.write(
    ownLinesJson
      ? jsonLine(isoTime(), null, null, 'err', `tend-runtime: ${line}`)
      : `tend-runtime: ${line}\n`,
  );
/** The supervisor's lines, less its state transitions (`api[0] launching -> online`): noise in a container's log. */
const TRANSITION = /^\S+\[\d+\] [a-z-]+ -> [a-z-]+$/;
const coreLog = (line: string) => {
  if (!TRANSITION.test(line)) say(line);
};

function errorLine(err: unknown): { line: string; code: number } {
  if (isTendError(err)) return { line: `error: ${err.message} (${err.code})`, code: err.exitCode };
  return {
    line: `error: ${err instanceof Error ? err.message : String(err)} (TEND_ERR_INTERNAL)`,
    code: 70,
  };
}

/** TEND_ERR_HTTP_LISTEN with the runtime's own fix (the flag), anything else as it is. */
function listenFailure(err: unknown): unknown {
  if (!isTendError(err) || err.code !== 'TEND_ERR_HTTP_LISTEN') return err;
  return new TendError('TEND_ERR_HTTP_LISTEN', {
    ...(err.data as { kind: string; address: string; reason: string }),
    fix: 'choose another address with --health-listen HOST:PORT, or --health-listen off',
  });
}

function fail(err: unknown): number {
  const { line, code } = errorLine(err);
  say(line);
  return code;
}

/** Runs the apps until they end or a shutdown signal; resolves with the process exit code (see issue 15). */
export async function runRuntime(argv: readonly string[]): Promise<number> {
  // A launch plan's app (adopted.ts): held from now on, so that no way out of the runtime leaves it behind.
  const adoption = recordedAdoption();
  const planned = adoption ? holdPlanned(adoption, say) : null;
  let options: RuntimeOptions;
  try {
    const parsed = parseRuntimeArgs(argv);
    if (parsed.help) {
      process.stdout.write(`${parsed.help === 'version' ? VERSION : USAGE}\n`);
      return 0;
    }
    options = parsed.options;
  } catch (err) {
    // A usage error is found before the format is known: --json or --log-format json in argv (best effort)
    // makes it a JSON line too (sixth audit).
    ownLinesJson = asksJson(argv);
    return fail(err);
  }
  ownLinesJson = options.logFormat === 'json';
  if (ownLinesJson)
    takeOverConsole(
      (stream, message) =>
        (stream === 'out' ? process.stdout : process.stderr).write(
          jsonLine(isoTime(), null, null, stream, message),
        ),
      (line) => say(`warning: ${line}`),
    );
  for (const w of options.warnings) say(`warning: ${w} (TEND_ERR_CONFIG_IGNORED)`);
  const notUsed = planNotUsed(process.env, adoption);
  if (notUsed) say(`warning: ${notUsed} (TEND_ERR_NOTICE)`);
  // systemd's socket is the runtime's, not the apps': an app writing READY=1 there would speak for us.
  const notifySocket = process.env.NOTIFY_SOCKET;
  delete process.env.NOTIFY_SOCKET;
  let specs: AppSpec[];
  // A config file that ends the process while it is read (`process.exit(0)` in it) must not pass for a
  // success: a Job would report one, with no app run (fourth audit). Nor any other code without a word
  // (seventh audit: `process.exit(3)` ended the runtime with 3 and no message). Exit code 2, with the reason.
  const exitWhileLoading = (code: number) => {
    if ((globalThis as Record<symbol, unknown>)[Symbol.for('tend-runtime.stopped-early')]) return;
    say(
      `error: the config file ended the process (process.exit(${code})) while tend-runtime was reading it: no app was started (TEND_ERR_CONFIG_INVALID)`,
    );
    process.exitCode = 2;
  };
  process.on('exit', exitWhileLoading);
  try {
    const loaded = await loadApps(options);
    for (const n of loaded.notes)
      say(`warning: ${/\(TEND_ERR_[A-Z_]+\)$/.test(n) ? n : `${n} (TEND_ERR_NOTICE)`}`);
    specs = loaded.specs;
  } catch (err) {
    return fail(err);
  } finally {
    process.off('exit', exitWhileLoading);
  }
  return new Runtime(options, specs, notifySocket, planned).run();
}

/**
 * This Node is the child of bin/tend-init.sh, PID 1 of the container's PID namespace (bin/tend-runtime.js
 * says so): every other process of the namespace is the container's.
 */
function underContainerInit(): boolean {
  return (
    (globalThis as Record<symbol, unknown>)[Symbol.for('tend-runtime.under-init')] === true &&
    process.ppid === 1
  );
}

/** Every app wanted up has all its wanted-up instances online and ready (as /readyz says). */
function allReady(supervisor: Supervisor): boolean {
  return supervisor
    .instances()
    .every((u) => u.wanted !== 'up' || (u.status === 'online' && u.health.isReady));
}

/** An instance about to run: waiting for its dependencies, or being spawned. */
const STARTING: ReadonlySet<string> = new Set(['waiting', 'launching']);

/** The states in which an instance has ended (for now): its end may decide the runtime's (outcome.ts). */
const END_STATES: ReadonlySet<string> = new Set(['stopped', 'errored', 'blocked']);

class Runtime {
  private closing = false;
  private endNow: (e: Ending | null) => void = () => {};
  private readonly ended = new Promise<Ending | null>((resolve) => (this.endNow = resolve));
  /** The processes that died of their kill_timeout's SIGKILL during the shutdown. */
  private readonly timeoutKills = new TimeoutKills();
  private readonly mode: 'orchestrator' | 'policy';
  private readonly specs: AppSpec[];
  private readonly services: Set<string>;
  /** The apps of the file (or script) the runtime was started with: theirs are the ends that decide its own. */
  private readonly fileApps: ReadonlySet<string>;

  constructor(
    private readonly options: RuntimeOptions,
    specs: AppSpec[],
    private readonly notifySocket: string | undefined,
    private readonly planned: PlannedApp | null,
  ) {
    const instances = specs.reduce((n, s) => n + s.instances, 0);
    this.mode = options.restart ?? (specs.length === 1 && instances === 1 ? 'orchestrator' : 'policy');
    this.services = new Set();
    this.fileApps = new Set(specs.map((s) => s.name));
    this.specs = specs.map((s) => this.adopt(s));
  }

  /**
   * An app as the runtime runs it: the file's, and one started over the control socket. A file app's own
   * autorestart makes it a service (outcome.ts). Orchestrator mode: no restart in place (the orchestrator
   * restarts the container), for an app started over the control socket too (fifth audit). But only the
   * file's apps decide how the runtime ends: one added over the control socket (a debugging command, `tend
   * start "node repl.js"`) is no service of the pod's, and its end leaves the runtime and its apps alone
   * (eighth audit: `tend start "echo hi"` stopped the pod's app, exit 0; in policy mode its 17 quick restarts
   * made it errored: exit 1).
   */
  private adopt(spec: AppSpec): AppSpec {
    if (this.fileApps.has(spec.name) && spec.autorestart) this.services.add(spec.name);
    return this.mode === 'orchestrator' ? Object.freeze({ ...spec, autorestart: false }) : spec;
  }

  /** An app that runs once: a file app without its own autorestart, or one added so over the control socket. */
  private oneShot(u: { name: string; spec: AppSpec }): boolean {
    return this.fileApps.has(u.name) ? !this.services.has(u.name) : !u.spec.autorestart;
  }

  async run(): Promise<number> {
    const { options } = this;
    const instances = this.specs.reduce((n, s) => n + s.instances, 0);
    const format = options.logFormat ?? (instances > 1 ? 'prefixed' : 'raw');
    const live = new LogBus();
    const paths = homePaths(resolveHome());
    // The home is claimed before any spawn (its socket served after them, openServices): the apps carry its
    // tag (TEND_HOME) only when the runtime holds it, or a daemon of that home recovering from a crash would
    // end them as its leftovers. A home a daemon holds: a warning, and the apps run untagged.
    if (options.control) {
      try {
        this.claim = await loadControl().claimHome(paths);
      } catch (err) {
        say(`warning: no control socket: ${errorLine(err).line.replace(/^error: /, '')}`);
      }
    }
    const children = trackChildren();
    let supervisorRef: Supervisor | null = null;
    const core: Core = openCore({
      home: paths.home,
      tagHome: this.claim !== null,
      // A service of the file under orchestrator mode: its restart is the orchestrator's (adopt()).
      noRestartWhy: (name) =>
        this.mode === 'orchestrator' && this.services.has(name)
          ? '--restart orchestrator, the orchestrator restarts the container'
          : 'autorestart off',
      log: coreLog,
      // A launch plan's app is the first spawn's, when it is the same launch (adopted.ts).
      wrapSpawner: (spawner) => children.wrap(this.planned ? this.planned.wrap(spawner) : spawner),
      sinks: () =>
        createStdoutSinks({
          format: () => format,
          instanceOf: (id) => {
            const u = supervisorRef?.instances().find((x) => x.id === id);
            return { instance: u?.instance ?? 0, several: (u?.spec.instances ?? 1) > 1 };
          },
          out: process.stdout,
          err: process.stderr,
          now: () => Date.now(),
          live,
        }),
    });
    const { supervisor, bus, deps } = core;
    supervisorRef = supervisor;
    /** --no-auto-exit: the apps whose end would have ended the runtime, with what happened (see below). */
    const held = new Map<string, string>();
    const ctx = runtimeContext(core, {
      paths,
      live,
      log: say,
      shutdown: (reason) => this.finish(null, reason),
      isShuttingDown: () => this.closing,
      heldEnds: () => held,
      adopt: (spec) => this.adopt(spec),
      counts: (name) => this.fileApps.has(name),
    });

    // A closed stdout (the log collector went away) must not kill the runtime with EPIPE.
    process.stdout.on('error', () => {});
    process.stderr.on('error', () => {});
    process.on('uncaughtException', (err) => say(`uncaught exception: ${err.stack ?? String(err)}`));
    process.on('unhandledRejection', (err) => say(`unhandled rejection: ${String(err)}`));

    // An address the user gave must be served (a probe would fail forever): not binding it is fatal, before
    // any app starts. The default one is not: several runtimes on one host (systemd units) would otherwise
    // fight over it. Only bound here: the HTTP layer is loaded once the apps are spawned (openServices).
    let healthAt: HealthAddress | null = null;
    if (options.healthListen) {
      try {
        healthAt = await bindHealth(options.healthListen);
      } catch (err) {
        const e = listenFailure(err);
        if (options.healthExplicit) return fail(e);
        say(`warning: no health listener: ${errorLine(e).line.replace(/^error: /, '')}`);
      }
    }

    // Apps' ends decide the runtime's (outcome.ts), until a shutdown begins. With --no-auto-exit an app's end
    // that would have ended the runtime is held instead, and /readyz fails for that app until it starts
    // again (`tend start`/`restart` over the control socket): a load balancer stops sending it requests.
    const rules: OutcomeRules = {
      mode: this.mode,
      autoExit: options.autoExit,
      services: this.services,
      stopExitCodes: new Map(this.specs.map((s) => [s.name, s.stop_exit_codes])),
    };
    bus.subscribe((e) => {
      if (this.closing) this.timeoutKills.observe(e);
      if (e.event !== 'process.state') return;
      // Only the file's apps decide (adopt, above).
      if (!this.fileApps.has(e.data.process.name)) return;
      if (this.closing) {
        this.duringShutdown(e.data.process, rules, supervisor);
        return;
      }
      if (e.data.to === 'launching' || e.data.to === 'waiting') {
        held.delete(e.data.process.name);
        return;
      }
      if (!END_STATES.has(e.data.to)) return;
      if (!options.autoExit) {
        const own = appEnding(rules, e.data.process);
        if (own === null) return;
        if (!held.has(own.app))
          say(`${own.why}: --no-auto-exit, staying up; /readyz fails for ${own.app} until it starts again`);
        held.set(own.app, own.why);
        return;
      }
      const everyEnded = supervisor
        .instances()
        .filter((u) => this.fileApps.has(u.name))
        .every((u) => u.status === 'stopped' && u.info().next_cron_at === null);
      const end = judgeEnd(rules, e.data.process, everyEnded);
      if (end) this.finish(end, end.why);
    });

    // One signal can come twice at once: GNU timeout(1) sends it to the process and to its group, which
    // the runtime leads when it is not PID 1; both deliveries reach Node in the same turn of its loop. A
    // repeat in that turn is that, not a second signal (fourth audit: `timeout 10 tend-runtime …`
    // SIGKILLed every app and exited 1).
    const seenThisTurn = new Set<string>();
    // A repeat a little later is the same one too: a terminal's ^C reaches the whole foreground group, and a
    // wrapper in it (`npm start`, yarn) forwards it as well, a few ms apart (seventh audit: ^C under npm
    // SIGKILLed the apps, their drain never ran). A second signal meant as one comes later than that.
    const { ms: window, problem } = repeatWindowMs(process.env);
    if (problem) say(`warning: ${problem} (TEND_ERR_CONFIG_IGNORED)`);
    const repeats = signalRepeats(realClock, window);
    const onShutdownSignal = (signal: NodeJS.Signals) => {
      if (seenThisTurn.has(signal)) return;
      seenThisTurn.add(signal);
      setImmediate(() => seenThisTurn.delete(signal));
      // Stopped: main.ts is writing the last lines, and a signal now ends the process (a stalled reader).
      if (this.over) return;
      if (repeats.isRepeat(signal)) {
        say(
          `${signal} again within ${window} ms: the same one (a wrapper such as npm forwards a terminal's ^C too), ignored`,
        );
        return;
      }
      if (this.closing) {
        // During --shutdown-delay it skips the rest of the delay; once the stop has begun, SIGKILL (third
        // audit: "SIGKILL now" was said in both cases).
        const done = this.hurry();
        say(
          done === 'sigkill'
            ? `${signal} again: SIGKILL now`
            : done === 'skip-delay'
              ? `${signal} again: the rest of the shutdown delay skipped, stopping now`
              : done === 'done'
                ? `${signal} again: the apps are stopped, nothing left to SIGKILL; finishing`
                : `${signal} again: the shutdown is under way`,
        );
        return;
      }
      this.finish(null, signal);
    };
    // A stop signal that came while Node started, the bundle loaded or a config file ran synchronously waits
    // in libuv's signal pipe for a turn of the loop: one turn now, so that bin/tend-runtime.js's early
    // handlers take it ("before any app was started: exit 0") before anything is spawned (seventh audit: the
    // apps were spawned, then SIGTERMed 10 ms later, a migration cut mid-way).
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) process.on(sig, onShutdownSignal);
    // One reload at a time: a SIGHUP during one is said and ignored (fourth audit: a second one ran in
    // parallel, both apps down at once, a dependent up before its dependency). But a reload that waits for an
    // instance with no ready deadline (a readiness probe alone) may wait for ever: a SIGHUP then ends that
    // wait (the reload fails there) and a new reload follows it (eighth audit: every later SIGHUP was
    // ignored, the pod unready for good).
    let reloading = false;
    let again = false;
    const reload = () => {
      reloading = true;
      // One-shots are left alone: a reload is new code for what serves, and a migration or a Job re-run by a
      // SIGHUP is a surprise. One that completed is not run again (sixth audit: it ran again beside the app
      // waiting for it); one still running finishes its run (eighth audit: it was SIGTERMed mid-way, run
      // again, and the failure of the run cut short was lost); one yet to run starts with the new code.
      const all = supervisor.instances();
      const asked = all.filter((u) => !this.oneShot(u));
      const left = [...new Set(all.filter((u) => this.oneShot(u)).map((u) => u.name))];
      say(
        `SIGHUP: reloading every app (rolling, gated on readiness)${left.length > 0 ? `; one-shots left alone: ${left.join(', ')}` : ''}`,
      );
      // "not": every instance asked for and not reloaded, the skipped ones and those the cut or the failure
      // left (fifth audit: "1 reloaded, 0 not" of 3).
      const not = (r: { reloaded: readonly unknown[] }) => Math.max(0, asked.length - r.reloaded.length);
      void deps
        .reload(asked)
        .then(
          (r) =>
            say(
              this.closing
                ? `reload cut short by the shutdown (${r.reloaded.length} instance(s) reloaded, ${not(r)} not)`
                : r.failed
                  ? `reload failed at ${r.failed.name} [${r.failed.id}]: ${r.failed.reason}${r.failed.kept ? ' (its old process keeps serving)' : ''}; ${r.reloaded.length} instance(s) reloaded, ${not(r)} not`
                  : `reload done (${r.reloaded.length} instance(s)${r.skipped.length > 0 ? `; ${r.skipped.length} waiting for their dependencies start with the new code` : ''})`,
            ),
          (err: unknown) => say(`reload failed: ${errorLine(err).line}`),
        )
        .finally(() => {
          reloading = false;
          if (again && !this.closing) {
            again = false;
            reload();
          }
        });
    };
    process.on('SIGHUP', () => {
      if (this.closing) return;
      if (!reloading) {
        reload();
        return;
      }
      if (again) {
        say('SIGHUP: a reload is under way, and another follows it; ignored');
        return;
      }
      if (supervisor.supersedeOpenWaits() > 0) {
        again = true;
        say(
          'SIGHUP: the reload under way waits for an instance with no ready deadline: it stops waiting, and a new reload follows',
        );
        return;
      }
      say('SIGHUP: a reload is under way; ignored (send it again once it is done)');
    });
    for (const sig of ['SIGUSR1', 'SIGUSR2'] as const)
      process.on(sig, () => {
        for (const u of supervisor.instances()) {
          if (u.pid === null) continue;
          try {
            process.kill(u.pid, sig);
          } catch {
            // gone meanwhile
          }
        }
      });
    // bin/tend-runtime.js's handlers for a signal before these (nothing started yet): ours now.
    (globalThis as Record<symbol, (() => void) | undefined>)[Symbol.for('tend-runtime.early-signals')]?.();
    // --no-auto-exit: the runtime stays up until a signal, even with nothing else to wait on (no health
    // listener, every app ended): fourth audit, it exited 0 when its one app failed.
    const stayUp = options.autoExit ? null : setInterval(() => {}, 1 << 30);

    say(
      `running ${this.specs.map((s) => (s.instances > 1 ? `${s.name} x${s.instances}` : s.name)).join(', ')} ` +
        `(--restart ${this.mode}${healthAt ? `, health on ${healthAt.url}` : ''})`,
    );
    const units = this.specs.flatMap((s) => supervisor.add(s));
    // Spawns the apps that wait for nothing before it returns (the first node of the start order).
    const started = deps.start(units, { wait: true, deps: 'start' });
    // A stop signal as the runtime started, with a launch plan's app already running (bin/tend-runtime.js): it
    // is adopted now (the spawn above) and stopped as any app is.
    const earlyStop = (globalThis as Record<symbol, unknown>)[Symbol.for('tend-runtime.early-stop')];
    if (typeof earlyStop === 'string') this.finish(null, earlyStop);
    // The rest while they boot (on another core): they are not needed to spawn an app.
    const services = this.openServices(ctx, healthAt, paths);
    // Once the spawns are on their way: the config's leftovers freed and their pages given back
    // (runtime/compact-heap.ts), while the apps boot, before the first probe loads the HTTP layer.
    setImmediate(compactHeapOnce);
    void started.then(
      ({ notes }) => {
        for (const n of notes) say(`warning: ${n}`);
        if (!this.closing) this.whenReady(ctx, supervisor);
      },
      (err: unknown) => this.finish({ code: errorLine(err).code, why: errorLine(err).line }, 'start failed'),
    );

    const ending = await this.ended;
    if (stayUp) clearInterval(stayUp);
    this.closing = true;
    // From the first stop signal on nothing is spawned again: no restart by a policy (an app that ends
    // during --shutdown-delay, or waits its turn in the ordered stop and is SIGKILLed at the grace's end,
    // stays down), no start by a dependency wait, a trigger or a reload.
    // One-shots that were to run and had not (waiting for a dependency, or spawning) when a stop came: the
    // runtime did not do its job, which a Job must not count as done (the seventh audit's verification: a
    // migration waiting for its database, SIGTERM, exit 0).
    const unrun =
      ending === null
        ? supervisor
            .instances()
            .filter(
              (u) => this.fileApps.has(u.name) && this.oneShot(u) && u.pid === null && STARTING.has(u.status),
            )
            .map((u) => `${u.name} [${u.id}]`)
        : [];
    supervisor.beginShutdown();
    const stop = shutDown({
      clock: realClock,
      delayMs: ending === null ? options.shutdownDelayMs : 0,
      readyz: healthAt !== null,
      graceMs: options.graceMs,
      note: say,
      stopApps: async () => {
        this.appsStopping = true;
        this.graceFrom = realClock.now();
        await core.triggers.close();
        await deps.close();
        await supervisor.close();
      },
      killRemaining: () => {
        this.graceOver = true;
        return children.killAll();
      },
    });
    // A second stop signal while the apps stop: SIGKILL now, and what the sweep below finds then too (the
    // verification of the seventh audit's fixes: the sweep, started after, waited out the grace period).
    let hurried = false;
    this.hurry = () => {
      const done = stop.hurry();
      if (done !== 'skip-delay') hurried = true;
      return done;
    };
    await stop.done;
    await core.spawner.close().catch(() => {});
    // Nothing may outlive the runtime: a process still there now (its stop gave up AFTER_KILL_MS after the
    // SIGKILLs, or it was spawned after them) gets SIGKILL too, and counts as one that had to be. After the
    // cluster primaries' own stop (spawner.close), which is a normal part of the shutdown.
    const late = children.killAll();
    if (late > 0) say(`SIGKILL sent to ${late} process group(s) still there at the end`);
    // As the container's init's child: what is left in it outside the apps' trees (strays.ts), within what
    // is left of the grace period.
    let strays: 'none' | 'stopped' | 'sigkilled' = 'none';
    const init = underContainerInit();
    const list = init ? containerStrays(process.pid) : null;
    if (init && !list)
      say(
        "warning: /proc is not this container's own (no --mount-proc?): what the apps left outside their trees is not stopped before PID 1 exits (TEND_ERR_NOTICE)",
      );
    if (list) {
      const left = options.graceMs - (realClock.now() - (this.graceFrom ?? realClock.now()));
      const sweep = sweepStrays(
        { clock: realClock, list, kill: (pid, sig) => process.kill(pid, sig), note: say },
        left,
      );
      this.hurry = () => {
        sweep.hurry();
        return 'sigkill';
      };
      if (hurried) sweep.hurry();
      strays = await sweep.done;
    }
    this.over = true;
    const { health, control } = await services;
    await health?.close().catch(() => {});
    await control?.close().catch(() => {});
    // Not served (a shutdown came first, or serving failed): the lock is still ours to give back.
    await this.claim?.release().catch(() => {});
    if (ending) return ending.code;
    if (this.failedInShutdown) {
      const { ending: failed, when } = this.failedInShutdown;
      say(`stopped; ${failed.why} during the ${when}: exit code ${failed.code}`);
      return failed.code;
    }
    if (unrun.length > 0) {
      say(
        `stopped; ${unrun.join(', ')} had not run (a one-shot, waiting to start when the shutdown came): exit code 1`,
      );
      return 1;
    }
    // The processes that died of tend's SIGKILL: at the grace's end, or at an app's kill_timeout.
    const killed = children.sigkilled() + this.timeoutKills.count + late + (strays === 'sigkilled' ? 1 : 0);
    say(killed > 0 ? 'stopped (some processes had to be SIGKILLed)' : 'stopped');
    return killed > 0 ? 1 : 0;
  }

  private hurry: () => 'skip-delay' | 'sigkill' | 'done' | null = () => null;
  /** The apps are stopped: a further stop signal has nothing to hurry (main.ts: it ends the process). */
  private over = false;
  /** When the grace period began (the stop of the apps), for what is left of it at the end. */
  private graceFrom: number | null = null;
  /** The stop of the apps has begun (the --shutdown-delay is over): their ends answer our signals. */
  private appsStopping = false;
  /** The app's verdict that ended the runtime (finish), null for a stop asked for or before any end. */
  private verdict: Ending | null = null;
  /** The grace period ran out: what ends now was SIGKILLed by us (counted as such), no verdict of its own. */
  private graceOver = false;
  /**
   * An app that failed on its own during the shutdown, before it was signalled (during --shutdown-delay, or
   * waiting its turn in the ordered stop): the runtime's exit code is its.
   */
  private failedInShutdown: { ending: Ending; when: 'shutdown delay' | 'shutdown' } | null = null;

  /**
   * An app's end once a shutdown was asked for but before that app was signalled: during --shutdown-delay,
   * or while it waits its turn in the ordered stop (its dependents still stopping). No answer to our stop,
   * its own: a failure is the runtime's exit code (fifth audit: a crash with 3 during the delay gave
   * "stopped", exit 0; sixth: the same crash just after the delay did). An end that answers our stop
   * signal is not `completed`; one after the grace period's SIGKILLs is ours. During the delay, once no app
   * is left, the rest of it is skipped.
   */
  private duringShutdown(p: ProcessInfo, rules: OutcomeRules, supervisor: Supervisor): void {
    // Only for a stop asked for (a signal, `tend kill`): an app's own verdict ends the runtime with no delay,
    // and what follows from it is no failure "during the shutdown" (sixth audit).
    if (this.verdict !== null || this.graceOver) return;
    if (!END_STATES.has(p.status)) return;
    // An end that answers our stop signal: no verdict, but for a one-shot that had not completed yet (a Job
    // stopped mid-run is no success: seventh audit).
    const own =
      this.appsStopping && !p.completed
        ? interruptedOneShot(rules, p)
        : appEnding({ ...rules, autoExit: true }, p);
    if (own && own.code !== 0 && this.failedInShutdown === null) {
      const when = this.appsStopping ? 'shutdown' : 'shutdown delay';
      this.failedInShutdown = { ending: own, when };
      say(`${own.why} during the ${when}`);
    }
    if (this.appsStopping) return;
    const left = supervisor.instances().some((u) => u.pid !== null);
    if (!left) this.hurry();
  }
  /** The home's start lock, when the control socket is on and the home was free (run). */
  private claim: HomeClaim | null = null;

  /**
   * The health listener (on the address bound before the spawns; its HTTP layer loads at the first
   * connection) and the control socket, opened right after the first spawns. /readyz answers 503 until the
   * apps are ready.
   */
  private async openServices(
    ctx: DaemonContext,
    healthAt: HealthAddress | null,
    paths: HomePaths,
  ): Promise<{ health: HealthListener | null; control: Control | null }> {
    let health: HealthListener | null = null;
    if (healthAt) {
      // The layer loads at the first connection: a broken install (the HTTP bundle missing...) shows then.
      health = serveHealthOnDemand(ctx, healthAt, (err) => {
        const e = listenFailure(err);
        if (this.options.healthExplicit)
          this.finish({ code: errorLine(e).code, why: errorLine(e).line }, 'health listener');
        else say(`warning: no health listener: ${errorLine(e).line.replace(/^error: /, '')}`);
      });
    }
    // Optional: a failure is said and the runtime goes on (the socket is for debugging).
    let control: Control | null = null;
    if (this.claim && !this.closing) {
      try {
        control = await this.claim.serve(ctx);
        // Not once the runtime is stopping (an app that could not start): the line came after "stopping".
        if (!this.closing) say(`control socket on ${paths.socket} (tend ls, tend logs)`);
      } catch (err) {
        say(`warning: no control socket: ${errorLine(err).line.replace(/^error: /, '')}`);
      }
    }
    return { health, control };
  }

  /** Ends the runtime: with an app's verdict, or null for a shutdown asked by a signal or `tend kill`. */
  private finish(end: Ending | null, why: string): void {
    if (this.closing) return;
    this.closing = true;
    this.verdict = end;
    say(end ? `${why}: stopping, exit code ${end.code}` : `${why}: shutting down`);
    this.endNow(end);
  }

  /** Once every app is ready (the first time): say so, and READY=1 to systemd (the export's Type=notify unit). */
  private whenReady(ctx: DaemonContext, supervisor: Supervisor): void {
    const socket = this.notifySocket;
    const ready = () => {
      say('every app is ready');
      if (!socket) return;
      void notifyReady(socket, process.env, ctx.log, 'tend-runtime: every app is ready');
    };
    if (allReady(supervisor)) {
      ready();
      return;
    }
    const off = ctx.bus.subscribe(() => {
      if (this.closing || !allReady(supervisor)) return;
      off();
      ready();
    });
  }
}
