// An app that becomes ready after a known delay, as a service with a warm-up: says "started" to the bench as
// soon as its code runs, then, delayMs later (argv[3], else READY_DELAY_MS, else 500), says "ready" to the
// bench and, once the bench has it, tells its supervisor (process.send('ready'): wait_ready in tend and PM2),
// so the bench always has an app's "ready" before anything started after it. argv: [tag, delayMs]
const notify = require('./notify.cjs');

const tag = process.argv[2] || 'ready-after';
const delay = Number(process.argv[3] || process.env.READY_DELAY_MS || 500);
notify('started', tag);
setTimeout(() => {
  notify('ready', tag, () => {
    if (process.send) process.send('ready');
  });
}, delay);
setInterval(() => {}, 1 << 30);
