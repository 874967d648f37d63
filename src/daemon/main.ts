// The daemon's entry point: take the start lock, serve the socket, supervise, and on the way out stop every
// process and remove what it created. One of the two places that call process.exit.

import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { openAlerts } from '../alerts/index.js';
import { LogService } from '../logs/log-service.js';
import { referenceSpec } from '../persist/reference-spec.js';
import { type StateFile, snapshotApps } from '../persist/saved-apps.js';
import { isPm2Home } from '../pm2/home/marker.js';
import { openPidFiles, type PidFiles } from '../pm2/home/pid-files.js';
import { isTendError } from '../protocol/errors.js';
import { homePaths, resolveHome } from '../protocol/home.js';
import { primeSchemaKinds } from '../protocol/zod.js';
import { readBootId } from '../runtime/boot-id.js';
import { realClock } from '../runtime/clock.js';
import { restoreExtraCa } from '../runtime/extra-ca.js';
import { ensureHome, REPLACE_NOFOLLOW } from '../runtime/private-dir.js';
import { isoTime } from '../runtime/utc-time.js';
import { loadSettings } from '../settings/load.js';
import { VERSION } from '../version.js';
import type { DaemonContext } from './context.js';
import { openCore } from './core.js';
import { openDaemonLog } from './daemon-log.js';
import { createWebControl } from './http-control.js';
import { StartLock } from './lock.js';
import { createPersistence } from './persistence.js';
import { recoverAtStart } from './recovery.js';
import { createSocketServer, listenPrivately } from './server.js';
import { StateWriter } from './state-file.js';
import { awaitPredecessor, type Successor, spawnSuccessor } from './successor.js';
import { systemdService } from './systemd-notify.js';

// Before anything reads the environment: what this daemon starts gets NODE_EXTRA_CA_CERTS as the user set it.
restoreExtraCa();

/** The CLI that spawned us reads one line on this fd: `ready`, `busy` (another daemon owns the home) or `error: …`. */
function notify(message: string): void {
  const fd = Number(process.env.TEND_NOTIFY_FD);
  if (!Number.isInteger(fd) || fd < 3) return;
  try {
    delete process.env.TEND_NOTIFY_FD;
    writeSync(fd, `${message}\n`);
    closeSync(fd);
  } catch {
    // The spawner gave up waiting: nobody to tell.
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

async function main(): Promise<void> {
  // Under tend startup's unit (issue 15): its variables are taken out of the environment before anything
  // can pass them to an app (daemon/systemd-notify.ts).
  const systemd = systemdService();
  const paths = homePaths(resolveHome());
  // The CLI checked the home too, but a programmatic user or a stale check must not make us trust it.
  ensureHome(paths, { create: true, createLogs: true });
  // A successor (tend update) waits until its predecessor has let go of the lock.
  const successor = await awaitPredecessor();
  const lock = await StartLock.acquire(paths.lockFile);
  if (!lock) {
    // A successor that lost the race to a daemon a client started: that one restores the list.
    if (successor)
      process.stderr.write(`${isoTime()} successor pid ${process.pid}: another daemon took over\n`);
    notify('busy');
    return;
  }
  // Before any validation (recovery below checks saved specs): see primeSchemaKinds.
  primeSchemaKinds();
  const log = openDaemonLog(paths.daemonLog);
  log(`daemon ${VERSION} starting, pid ${process.pid}, node ${process.version}, home ${paths.home}`);
  // issue 14: an invalid settings file stops the start here; the CLI that started us prints why.
  const settings = loadSettings(paths.home);
  const web = createWebControl(settings, log);
  // Issue 17: a home tend-pm2 prepared keeps PM2's layout (log names, pids/), whichever CLI started us.
  const layout = isPm2Home(paths.home) ? 'pm2' : 'tend';
  if (layout === 'pm2') log('PM2 home (tend-pm2.json): PM2 log file names, pid files in pids/');
  // We hold the lock, so a socket or pid file still there was left by a daemon that died: clean it up.
  unlinkQuietly(paths.socket);

  // The bus, spawner, supervisor, triggers and depends_on, wired as the runtime wires them (core.ts).
  let logs!: LogService;
  const { bus, spawner, supervisor, triggers, deps } = openCore({
    home: paths.home,
    log,
    sinks: (bus) => {
      logs = new LogService({
        clock: realClock,
        logDir: paths.logDir,
        log,
        rotated: (rotation) => bus.publish('log.rotated', rotation),
        dropped: (drop) => bus.publish('process.log-dropped', drop),
      });
      return logs;
    },
    logNaming: layout,
  });
  // Before recovery: the processes it starts again get their pid files; a dead daemon's files are swept.
  const pidFiles: PidFiles | null =
    layout === 'pm2'
      ? openPidFiles({ home: paths.home, bus, instances: () => supervisor.instances(), log })
      : null;
  // Alerts (issue 14): notify hooks; nothing more is loaded until an app (or the settings file) has notify.
  // globalNotify: the settings file's `notify`, checked at load by checkNotify (config/notify-field.ts).
  const alerts = openAlerts({
    bus,
    supervisor,
    clock: realClock,
    log,
    globalNotify: settings.notify,
    home: paths.home,
  });
  const bootId = readBootId();
  const snapshot = () =>
    snapshotApps(supervisor, Date.now(), { boot_id: bootId, clean: false, restore: false });
  const state = new StateWriter(paths.stateFile, snapshot, (err) =>
    log(`cannot write ${paths.stateFile}: ${String(err)}`),
  );
  // Only what state.json holds changes it: a unit's state (wanted, restarts) or the list itself. Exits,
  // listening notices and log rotations would only rewrite the same file.
  bus.subscribe((e) => {
    if (e.event === 'process.state' || e.event === 'process.deleted' || e.event === 'process.reload')
      state.touch();
  });

  let next: Successor | null = null;
  const persistence = createPersistence(
    snapshot,
    referenceSpec(paths.logDir),
    (list) => state.final(list),
    () => {
      next ??= spawnSuccessor(paths, log);
    },
    () => {
      state.touch();
      return state.flush();
    },
  );
  // Before serving: a daemon that died leaves processes and a list behind (daemon/recovery.ts).
  try {
    persistence.notices.push(
      ...(await recoverAtStart({
        stateFile: paths.stateFile,
        home: paths.home,
        supervisor,
        reference: persistence.reference,
        bootId,
        log,
        // Restored apps start in dependency order; notes (a dependency left out) go to the log.
        start: async (units) => {
          const { notes } = await deps.start(units, { wait: true, deps: 'order' });
          for (const n of notes) log(`recovery: ${n}`);
        },
      })),
    );
  } catch (err) {
    const line = `recovery of the previous daemon's processes failed: ${String(err)}`;
    log(line);
    persistence.notices.push(line);
  }
  // state.json names this daemon (unclean, this boot) before it serves anything. A daemon killed before its
  // first change reached the file left none, and the next one neither looked for its processes nor ended
  // them: the kill -9 fault test's orphans in CI (two instances 0.22 s old, started by a first daemon that had
  // not written its state yet). With the file, the next daemon scans for whatever this one started.
  state.touch();
  await state.flush();

  let closing: Promise<void> | null = null;
  const ctx: DaemonContext = {
    supervisor,
    bus,
    deps,
    logs,
    paths,
    log,
    shutdown: (reason, handover) => {
      closing ??= shutdown(reason, handover);
    },
    isShuttingDown: () => closing !== null,
    persistence,
    settings,
    web,
    alerts,
    layout,
  };
  const server = createSocketServer(ctx);

  async function shutdown(reason: string, handover?: StateFile): Promise<void> {
    log(`daemon stopping (${reason})`);
    try {
      // First: a cron schedule must not start an app the shutdown is stopping.
      await triggers.close();
      // Then no wait or cascade starts an app the shutdown is stopping (the stop order stays).
      await deps.close();
      await supervisor.close();
      // The apps are stopped, their pid files gone with them: this removes any a failed stop left.
      await pidFiles?.close();
      // After the apps stopped (a stop is no alert): deliveries still in flight are abandoned.
      await alerts.close();
      await spawner.close();
      await logs.close();
      // The last write marks the shutdown clean (the next daemon starts empty) or, for a hand-over, leaves
      // the list as it was before the stop, for the next daemon to restore.
      await state.final(
        handover
          ? { ...handover, clean: true, restore: true }
          : { ...snapshot(), clean: true, restore: false },
      );
    } catch (err) {
      log(`error while stopping: ${String(err)}`);
    }
    // The HTTP listeners end with the socket's clients (their SSE streams with them).
    await web.close().catch((err: unknown) => log(`error while closing HTTP listeners: ${String(err)}`));
    // Remove the socket and pid file before closing connections: a client that sees its connection close
    // finds no trace of this daemon.
    unlinkQuietly(paths.socket);
    unlinkQuietly(paths.pidFile);
    if (next) {
      // Hand-over: once the successor has loaded (it started while the apps stopped), give up the lock and
      // wake it before closing connections, so it is the daemon the waiting CLI finds starting.
      await next.loaded(3000);
      await lock?.close();
      next.release();
      await server.close();
    } else {
      await server.close();
      await lock?.close();
    }
    log('daemon stopped');
    await log.close();
    process.exit(0);
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => {
      systemd.stopping(ctx);
      ctx.shutdown(signal);
    });
  process.on('SIGHUP', () => log('SIGHUP ignored'));
  // Supervision must outlive a bug in one code path: log it and keep the processes supervised.
  process.on('uncaughtException', (err) => log(`uncaught exception: ${err.stack ?? String(err)}`));
  process.on('unhandledRejection', (err) => log(`unhandled rejection: ${String(err)}`));

  await listenPrivately(server.server, paths.socket);
  // O_NOFOLLOW: a link planted in place of the pid file must not make us write through it.
  const pidFd = openSync(paths.pidFile, REPLACE_NOFOLLOW, 0o600);
  writeSync(pidFd, `${process.pid}\n`);
  closeSync(pidFd);
  state.touch();
  // HTTP listeners (issue 14), only when tend.config.yaml or web.json asks: failures are logged, not fatal.
  await web.start(ctx);
  lock.markReady();
  log(`daemon ready on ${paths.socket}`);
  notify('ready');
  // Under tend startup's unit: restore the saved list, then READY=1 (issue 15; daemon/systemd-notify.ts).
  void systemd.started(ctx);
}

main().catch((err: unknown) => {
  // One line, with its code when it has one (TEND_ERR_SETTINGS_INVALID): the CLI prints it as the reason.
  const message = err instanceof Error ? err.message.replace(/\n/g, '; ') : String(err);
  notify(`error: ${message}${isTendError(err) ? ` (${err.code})` : ''}`);
  process.stderr.write(`tend daemon failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
