// A plain Node cluster: the primary forks N workers (argv[4], default 2), each running hello-http.cjs with the
// same argv [tag, port]. The floor for a process manager's cluster mode.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  const n = Number(process.argv[4] || 2);
  for (let i = 0; i < n; i++) cluster.fork();
} else {
  require('./hello-http.cjs');
}
