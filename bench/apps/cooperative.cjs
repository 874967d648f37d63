// An idle app that stops when asked: says "ready" once, and exits 0 at once on SIGTERM or SIGINT (its own
// handlers, so that it also stops as PID 1 of a container, where a signal without a handler is ignored).
// argv: [tag]
const notify = require('./notify.cjs');

for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
notify('ready', process.argv[2] || 'cooperative');
setInterval(() => {}, 1 << 30);
