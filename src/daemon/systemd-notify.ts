// The daemon under `tend startup`'s unit (src/startup/systemd-unit.ts): systemd runs it in the foreground
// with TEND_SYSTEMD_RESURRECT=1. Once it serves its socket, it restores the list `tend save` wrote, waiting
// for the apps' start gates (the resurrect handler's own wait), then tells systemd it is ready (READY=1
// through systemd-notify: systemd-ready.ts). Without NOTIFY_SOCKET (Type=exec, or not under systemd) there
// is nobody to tell.
import type { DaemonContext } from './context.js';
import { handleResurrect } from './handlers/persistence.js';
import { notifyReady } from './systemd-ready.js';

/** No request connection here: resurrect does not use one. */
const NO_CONNECTION = {
  helloGate: false,
  greeted: true,
  sendEvent: () => {},
  onClose: () => {},
  backlog: () => 0,
};

export async function systemdStarted(
  ctx: DaemonContext,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const resurrect = env.TEND_SYSTEMD_RESURRECT === '1';
  const socket = env.NOTIFY_SOCKET;
  // Neither belongs to the apps: an app sending STOPPING=1 or WATCHDOG=1 on tend's socket would act on tend.
  delete env.TEND_SYSTEMD_RESURRECT;
  delete env.NOTIFY_SOCKET;
  if (!resurrect && !socket) return;
  if (resurrect) {
    try {
      const r = await handleResurrect({}, ctx, NO_CONNECTION);
      ctx.log(`systemd start: resurrected ${r.processes.length} process(es) from ${r.file}`);
    } catch (err) {
      // Nothing saved yet (TEND_ERR_DUMP_NOT_FOUND) is an empty daemon, not a failed service.
      ctx.log(`systemd start: resurrect: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (socket) await notifyReady(socket, env, ctx.log);
}
