'use strict';
// tend/notify: tell tend that this process is ready, how it is doing, and that it is alive. No dependency,
// CommonJS so `require('tend/notify')` and `import notify from 'tend/notify'` both work.
//
// tend passes a pipe as fd 3 (TEND_NOTIFY_FD=3, NOTIFY_FD=3) when the app has wait_ready or watchdog_sec;
// the lines are sd_notify's (READY=1, STATUS=…, WATCHDOG=1, STOPPING=1). Cluster workers have no pipe: the
// same calls go over the IPC channel (process.send('ready'), process.send('watchdog')). Outside tend (no pipe,
// no channel) every call is a no-op that returns false, so the app runs the same by hand.
//
// From a shell, with no library: printf 'READY=1\n' >&3     From Python: os.write(3, b'READY=1\n')
const fs = require('node:fs');

function notifyFd() {
  const value = process.env.TEND_NOTIFY_FD || process.env.NOTIFY_FD;
  const fd = Number(value);
  return value && Number.isInteger(fd) && fd > 2 ? fd : null;
}

/** Sends one sd_notify assignment (`KEY=value`); true if something could carry it. */
function notify(assignment) {
  const line = String(assignment).replace(/\n/g, ' ');
  const fd = notifyFd();
  if (fd !== null) {
    try {
      fs.writeSync(fd, `${line}\n`);
      return true;
    } catch {
      return false;
    }
  }
  if (typeof process.send === 'function') {
    const message = { 'READY=1': 'ready', 'WATCHDOG=1': 'watchdog' }[line];
    if (message) {
      process.send(message);
      return true;
    }
  }
  return false;
}

/** The watchdog interval tend expects pings within (ms), or null without watchdog_sec. */
function watchdogMs() {
  const usec = Number(process.env.WATCHDOG_USEC);
  return Number.isFinite(usec) && usec > 0 ? Math.floor(usec / 1000) : null;
}

/** Pings the watchdog at half its interval while the event loop turns (a stuck loop stops the pings). */
function startWatchdog() {
  const ms = watchdogMs();
  if (ms === null) return () => {};
  const timer = setInterval(() => notify('WATCHDOG=1'), Math.max(1, Math.floor(ms / 2)));
  timer.unref();
  return () => clearInterval(timer);
}

module.exports = {
  notify,
  ready: () => notify('READY=1'),
  status: (text) => notify(`STATUS=${text}`),
  watchdog: () => notify('WATCHDOG=1'),
  stopping: () => notify('STOPPING=1'),
  watchdogMs,
  startWatchdog,
};
