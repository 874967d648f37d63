// An idle app: says "ready" once, then does nothing. argv: [tag]
const notify = require('./notify.cjs');

notify('ready', process.argv[2] || 'idle');
setInterval(() => {}, 1 << 30);
